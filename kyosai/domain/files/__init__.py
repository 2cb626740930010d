"""Reading the organisation's files: header mapping, row parsing, located problems. No Django.

One module per file kind; each reads rows into domain values and CellProblem/FileProblems, and
leaves the rules (what a valid code, value or key is) to the domain modules it imports.
"""
