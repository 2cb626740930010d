"""kyosai's pure-Python domain core: the organisation's rules, free of Django.

Nothing in this package may import Django or any other kyosai package
(tests/domain/test_purity.py enforces it).
"""
