"""Reading scanned answer sheets: rasterize pages, find the QR code and the corner markers, read the boxes."""
