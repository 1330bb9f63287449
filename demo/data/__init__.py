"""Static data for the fictional demo province "Thanh An".

Plain Python, no Django imports, fully deterministic. Modules:

- ``province``: the province, its departments (sở, ban, ngành) and communes/wards, with units.
- ``job_positions``: job positions in the spirit of Decree 361/2025/NĐ-CP and unit hints.
- ``names``: Vietnamese personal-name pools and ``full_name(rng)``.
- ``products``: product/work catalogs per agency, planted near-duplicates, abbreviations.

All strings are Unicode NFC, except one product name deliberately stored in NFD
(``products.NFD_ITEM``) to exercise the duplicate finder.
"""
