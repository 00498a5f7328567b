public enum VistaData {}
