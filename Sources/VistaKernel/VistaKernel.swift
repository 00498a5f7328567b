public enum VistaKernelModule {}
