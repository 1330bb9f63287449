"""Form 01 and Form 02 as plain data, rendered both as a printable A4 page and as .xlsx."""
