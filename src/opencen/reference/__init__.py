"""Reference data: countries, currencies, WCO regions, HS, UN/LOCODE, CITES species, units."""
