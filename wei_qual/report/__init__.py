"""Theme tables and exports for the study report: themes, co-occurrence, quotes, matrix, HTML.

load_report_data() reads a project under one source; each module builds one report from it.
"""
