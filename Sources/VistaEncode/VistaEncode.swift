public enum VistaEncodeModule {}
