# A KeyboardInterrupt raised by the script itself.
print("working")
raise KeyboardInterrupt
