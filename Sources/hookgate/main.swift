print("hookgate")
