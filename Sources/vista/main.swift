// The thin executable: parse the command line, hand over to the libraries.
import VistaCore

BLAS.parkIdleThreads()
VistaCLI.main()
