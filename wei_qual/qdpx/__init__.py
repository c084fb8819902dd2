"""REFI-QDA project exchange (`.qdpx`) with NVivo, ATLAS.ti, MAXQDA and QualCoder.

export.py writes a project; read.py reads and checks a file; import_.py maps it into an empty project;
layout.py is the source text with speaker labels; vocabulary.py the names both sides share.
"""
