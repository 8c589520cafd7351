"""Import of people from the CSV/XLSX files HR systems export: read, check, preview, write."""
