print("batch-clone-bench: not written yet")
