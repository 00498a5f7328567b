public enum VistaMapModule {}
