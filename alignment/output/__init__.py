"""The one place that formats: terminal tables, JSON, CSV and XLSX (render.py) and the HTML
linkage map (htmlmap.py). Presentation libraries are imported here only."""
