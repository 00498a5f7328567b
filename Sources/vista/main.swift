print("vista")
