# Recursion without a base case: Python's own RecursionError.
def down(n):
    return down(n + 1) + 1


print("going down")
down(0)
