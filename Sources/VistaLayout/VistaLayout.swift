public enum VistaLayoutModule {}
