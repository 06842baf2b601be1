"""Generated data at benchmark scale, built from GeoNames cities (`load_demo --scale full`)."""
