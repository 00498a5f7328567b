// The thin executable: parse the command line, hand over to the libraries.
VistaCLI.main()
