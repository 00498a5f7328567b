#include <cblas.h>
/* Not declared in every cblas.h: OpenBLAS's own introspection and LAPACK's symmetric tridiagonal eigensolver (Fortran symbol; Debian ships no LAPACKE in libopenblas). */
char *openblas_get_corename(void);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);
void dstevr_(const char *jobz, const char *range, const int *n, double *d, double *e, const double *vl,
             const double *vu, const int *il, const int *iu, const double *abstol, int *m, double *w, double *z,
             const int *ldz, int *isuppz, double *work, const int *lwork, int *iwork, const int *liwork, int *info);
