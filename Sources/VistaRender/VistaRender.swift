public enum VistaRenderModule {}
