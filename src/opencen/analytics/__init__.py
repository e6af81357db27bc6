"""Intelligence analysis: trends, routes, modus operandi, hotspots, significant cases, reports."""
