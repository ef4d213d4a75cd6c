"""Files a user takes away: the process diagram (SVG), the self-check (Word), the comparison (Excel)."""
