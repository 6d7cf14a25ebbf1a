print("example framework: not yet implemented")
