print("lt")
