# A segmentation fault through ctypes (signal 11).
import ctypes

print("about to crash")
ctypes.string_at(0)
