"""Synthetic demo cases: a few years of believable seizures for the demo cast.

Each customs administration of ``accounts.demo`` reports the cases it would plausibly make:
cocaine from South America to Europe through seaports (directly or via West Africa and the
Caribbean), couriers on flights, heroin and methamphetamine in Asia and the Pacific, cannabis
resin from Morocco, captagon in the Middle East, ivory and pangolin scales leaving Africa for
Asia, counterfeits from Asia by sea and by express courier, cigarettes in Europe and Africa,
cash and gold at airports, and a few weapons, strategic, cultural-heritage and revenue cases.

Patterns the analytics should find: the commodity mix by region, routes, seasonality (summer
for passengers, an end-of-year peak for counterfeits, the glass-eel winter), yearly trends
(cocaine and strategic goods up, ivory down), heavy-tailed quantities, a detection mix per
mode of transport.  Every case goes through ``services.check_create_cases`` (so it passes every
check, the personal-data gate included) and is owned by its administration.  External
references are ``DEMO-<country>-<n>``: building twice creates nothing new.  Places, HS codes
and CITES species missing from the loaded reference data are left out, not invented.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from opencen.core.privacy import find_personal_data

T = TypeVar("T")
Weighted = tuple[tuple[str, float], ...]
# Monthly weights (January first) of the seasons a scenario can follow.
FLAT = (1.0,) * 12
SUMMER = (0.8, 0.75, 0.85, 0.95, 1.0, 1.3, 1.6, 1.6, 1.05, 0.9, 0.8, 1.15)
YEAR_END = (0.8, 0.7, 0.75, 0.8, 0.8, 0.85, 0.85, 0.95, 1.15, 1.45, 1.8, 1.5)
HARVEST = (1.25, 1.2, 1.0, 0.85, 0.8, 0.8, 0.8, 0.9, 1.0, 1.2, 1.3, 1.3)
GLASS_EELS = (1.8, 1.9, 1.6, 0.9, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.2, 1.6)


@dataclass(frozen=True)
class Goods:
    """What a goods line holds: area, HS code, unit, details, wording, value per unit (USD)."""

    area: str
    hs: str
    unit: str
    details: dict[str, str]
    what: tuple[str, ...]
    price: float
    scale: float = 1.0


def _g(
    area: str, hs: str, unit: str, details: str, what: str, price: float, scale: float = 1.0
) -> Goods:
    pairs = dict(item.split("=", 1) for item in details.split(";") if item)
    return Goods(area, hs, unit, pairs, tuple(what.split("|")), price, scale)


@dataclass(frozen=True)
class Scenario:
    """A trafficking pattern: goods, who seizes it (as origin, transit or destination), the
    route, the transport, concealment and detection mix, quantities, season and trend."""

    key: str
    goods: str
    seized: str
    origins: str
    destinations: str
    transport: str
    concealment: str
    detection: str
    qty: tuple[float, float]
    transits: str = "-:1"
    season: tuple[float, ...] = FLAT
    trend: float = 1.0
    offenders: float = 0.2
    second_line: float = 0.0
    offence: float = 0.0


# fmt: off
# Relative volume of each administration (mean 1) and the currency it reports values in,
# with a rough rate per US dollar.
VOLUME = {"NL": 1.5, "ES": 1.5, "FR": 1.3, "PL": 0.8, "JP": 0.7, "AU": 1.0, "TH": 1.0,
          "IN": 1.1, "US": 1.5, "BR": 1.0, "CO": 1.1, "MX": 1.0, "KE": 0.9, "ZA": 0.9,
          "NG": 1.0, "SN": 0.6, "CI": 0.6, "MA": 0.8, "EG": 0.7, "AE": 1.0}
CURRENCY = {"FR": ("EUR", 0.92), "NL": ("EUR", 0.92), "ES": ("EUR", 0.92), "PL": ("PLN", 4.0),
            "JP": ("JPY", 150), "AU": ("AUD", 1.5), "TH": ("THB", 36), "IN": ("INR", 83),
            "US": ("USD", 1), "BR": ("BRL", 5), "CO": ("COP", 4000), "MX": ("MXN", 17),
            "KE": ("KES", 130), "ZA": ("ZAR", 18), "NG": ("NGN", 1500), "SN": ("XOF", 600),
            "CI": ("XOF", 600), "MA": ("MAD", 10), "EG": ("EGP", 48), "AE": ("AED", 3.67)}

# Where each administration seizes, by kind of location (UN/LOCODE; the first is the busiest).
PLACES = {
    "FR": "sea FRLEH FRMRS FRFOS FRDKK; air FRCDG FRORY FRLYS; hub FRCDG FRLIL",
    "NL": "sea NLRTM NLAMS NLVLI; air NLAMS; hub NLAMS",
    "ES": "sea ESALG ESVLC ESBCN ESBIO ESLPA; air ESMAD ESBCN ESAGP; hub ESMAD",
    "PL": "sea PLGDN PLGDY PLSZZ; air PLWAW PLKTW; hub PLWAW; land PLTER PLDOR",
    "JP": "sea JPYOK JPTYO JPUKB JPOSA JPNGO; air JPNRT JPKIX JPHND JPFUK; hub JPNRT",
    "AU": "sea AUSYD AUMEL AUBNE AUFRE AUADL; air AUSYD AUMEL AUBNE AUPER; hub AUSYD",
    "TH": "sea THLCH THBKK; air THBKK THHKT THCNX; hub THBKK; land THMSA",
    "IN": "sea INNSA INMUN INMAA INCCU INTUT; air INDEL INBOM INMAA INCCJ INHYD; hub INDEL",
    "US": "sea USLAX USLGB USNYC USSAV USHOU USMIA; air USJFK USMIA USLAX USORD USATL; "
          "hub USCVG USMEM USJFK; land USLRD USELP",
    "BR": "sea BRSSZ BRPNG BRRIO BRSSA; air BRGRU BRGIG BRVCP; hub BRVCP BRGRU",
    "CO": "sea COCTG COBUN COBAQ COSMR; air COBOG COMDE; hub COBOG; land COCUC COIPI",
    "MX": "sea MXZLO MXLZC MXVER MXPGO; air MXMEX MXCUN MXGDL; hub MXMEX; land MXTIJ MXNLD MXNOG",
    "KE": "sea KEMBA; air KENBO; hub KENBO; land KEBUS",
    "ZA": "sea ZADUR ZACPT; air ZAJNB ZACPT; hub ZAJNB; land ZABBR",
    "NG": "sea NGAPP NGTIN NGONN NGLOS; air NGLOS NGABV NGKAN; hub NGLOS",
    "SN": "sea SNDKR; air SNDSS; hub SNDSS",
    "CI": "sea CIABJ; air CIABJ; hub CIABJ",
    "MA": "sea MAPTM MACAS MATNG MANDR; air MACMN; hub MACMN; land MAOUD",
    "EG": "sea EGPSD EGALY EGSOK EGEDK; air EGCAI; hub EGCAI",
    "AE": "sea AEJEA AEKLF AEAUH; air AEDXB AEAUH AEDWC; hub AEDXB AEDWC",
}
SEIZURE_PLACES = {admin: {kind: tuple(codes.split()) for kind, _s, codes in
                                (part.strip().partition(" ") for part in spec.split(";"))}
                  for admin, spec in PLACES.items()}
LOCATION = {"sea_container": ("seaport", "sea"), "sea_bulk": ("seaport", "sea"),
            "air_cargo": ("airport", "air"), "air_passenger": ("airport", "air"),
            "express_courier": ("express_hub", "hub"), "postal": ("postal_centre", "hub"),
            "road": ("land_border", "land"), "rail": ("land_border", "land"),
            "pedestrian": ("land_border", "land")}
# Relative size of a seizure by mode of transport (a container holds more than a parcel).
MODE_SCALE = {"sea_container": 1, "sea_bulk": 1, "air_cargo": 0.3, "road": 0.5, "rail": 0.8,
              "air_passenger": 0.02, "pedestrian": 0.01, "express_courier": 0.01,
              "postal": 0.005}
# Land neighbours of the demo administrations: a road, rail or pedestrian case crosses one.
NEIGHBOURS = {
    "FR": "ES BE DE IT CH AD LU", "NL": "BE DE", "ES": "FR PT AD GI MA", "PL": "DE CZ SK UA BY LT",
    "TH": "MY LA MM KH", "IN": "PK NP BD MM", "US": "MX CA", "BR": "CO PY BO PE VE AR UY",
    "CO": "VE EC PE BR PA", "MX": "US GT BZ", "KE": "UG TZ ET SO", "ZA": "ZW MZ BW NA LS",
    "NG": "BJ NE TD CM", "SN": "GM ML MR GN", "CI": "GH LR GN ML BF", "MA": "DZ ES",
    "EG": "LY SD IL", "AE": "SA OM",
}
COUNTRY_NAMES = {"KP": "North Korea", "KR": "South Korea", "LA": "Laos", "SY": "Syria",
                 "RU": "Russia", "IR": "Iran", "CD": "DR Congo", "TZ": "Tanzania",
                 "BO": "Bolivia", "VE": "Venezuela", "GB": "United Kingdom", "US": "United States"}
THE = ("United", "Netherlands", "Philippines", "DR Congo", "Dominican")
# Which concealments make sense for each mode of transport.
FITS = {
    "sea_container": {"mixed", "in_cargo", "container_structure", "false_compartment",
                      "not_concealed"},
    "sea_bulk": {"mixed", "in_cargo", "vehicle", "false_compartment"},
    "air_cargo": {"mixed", "in_cargo", "false_compartment", "not_concealed"},
    "air_passenger": {"body", "baggage", "false_compartment"},
    "express_courier": {"mail_item", "in_cargo", "not_concealed"},
    "postal": {"mail_item", "in_cargo"},
    "road": {"vehicle", "false_compartment", "mixed", "in_cargo"},
    "rail": {"false_compartment", "mixed", "in_cargo"},
    "pedestrian": {"body", "baggage"},
}


GOODS = {
    "cocaine": _g("drugs", "293972", "KGM", "substance=cocaine;form=powder",
                  "cocaine bricks|cocaine hydrochloride|cocaine in packages", 30000),
    "crack": _g("drugs", "293972", "KGM", "substance=crack;form=other", "crack cocaine", 30000,
                0.1),
    "heroin": _g("drugs", "293911", "KGM", "substance=heroin;form=powder",
                 "heroin|brown heroin|heroin in blocks", 25000),
    "opium": _g("drugs", "130211", "KGM", "substance=opium;form=resin", "raw opium", 4000, 2),
    "meth": _g("drugs", "293945", "KGM", "substance=methamphetamine;form=powder",
               "crystal methamphetamine|methamphetamine", 20000),
    "yaba": _g("drugs", "293945", "KGM", "substance=methamphetamine;form=tablet",
               "methamphetamine tablets", 15000),
    "ketamine": _g("drugs", "292239", "KGM", "substance=ketamine;form=powder", "ketamine",
                   15000, 0.5),
    "fentanyl": _g("drugs", "293333", "KGM", "substance=fentanyl;form=powder",
                   "fentanyl powder|fentanyl pills", 60000, 0.15),
    "nitazene": _g("drugs", "293399", "KGM", "substance=other_opioid;form=powder",
                   "nitazene opioids", 60000, 0.05),
    "nps": _g("drugs", "293399", "KGM", "substance=nps;form=powder",
              "synthetic cathinones|a new psychoactive substance", 10000, 0.5),
    "mdma": _g("drugs", "293299", "KGM", "substance=mdma;form=tablet",
               "ecstasy tablets|MDMA crystals", 12000, 0.5),
    "amphetamine": _g("drugs", "292146", "KGM", "substance=amphetamine;form=paste",
                      "amphetamine paste", 8000),
    "resin": _g("drugs", "130190", "KGM", "substance=cannabis_resin;form=resin",
                "cannabis resin|hashish slabs|cannabis resin bars", 3000),
    "herb": _g("drugs", "121190", "KGM", "substance=cannabis_herb;form=plant",
               "cannabis herb|vacuum-packed cannabis", 4000),
    "captagon": _g("drugs", "300490", "KGM", "substance=captagon;form=tablet",
                   "captagon tablets|captagon pills", 15000),
    "tramadol": _g("drugs", "300490", "KGM", "substance=tramadol;form=tablet",
                   "tramadol tablets|high-dose tramadol", 300),
    "khat": _g("drugs", "121190", "KGM", "substance=khat;form=plant", "fresh khat leaves",
               300),
    "precursor": _g("drugs", "291431", "KGM", "substance=precursor;form=liquid",
                    "drug precursors|pre-precursor chemicals", 200, 5),
    "ivory": _g("environment", "050710", "KGM",
                "subtype=cites;species=Loxodonta africana;appendix=I;specimen=ivory",
                "raw ivory tusks|worked ivory|ivory pieces", 900),
    "scales": _g("environment", "050790", "KGM",
                 "subtype=cites;species=Phataginus tricuspis|Smutsia gigantea|Manis javanica;"
                 "appendix=I;specimen=scales", "pangolin scales", 700, 1.5),
    "horn": _g("environment", "050790", "KGM",
               "subtype=cites;species=Diceros bicornis|Ceratotherium simum;appendix=I;"
               "specimen=horn", "rhinoceros horn", 60000, 0.03),
    "eels": _g("environment", "030192", "KGM",
               "subtype=cites;species=Anguilla anguilla;appendix=II;specimen=live",
               "live glass eels", 5000),
    "rosewood": _g("environment", "440349", "KGM",
                   "subtype=cites;species=Pterocarpus erinaceus|Pterocarpus santalinus;"
                   "appendix=II;specimen=timber", "rosewood logs|red sanders logs", 5, 60),
    "ewaste": _g("environment", "854931", "KGM", "subtype=waste;basel_code=A1180",
                 "electronic waste|used circuit boards and monitors", 0.5),
    "plastic": _g("environment", "391590", "KGM", "subtype=waste;basel_code=B3011",
                  "mixed plastic waste", 0.2, 1.5),
    "ods": _g("environment", "290371", "KGM", "subtype=ods;substance=HCFC-22",
              "cylinders of refrigerant gas|HCFC refrigerant", 15, 0.04),
    "cigarettes": _g("tobacco", "240220", "H87", "product=cigarettes;brand={tobacco}",
                     "cigarettes|contraband cigarettes", 0.3, 1),
    "shisha": _g("tobacco", "240311", "KGM", "product=water_pipe_tobacco;brand={tobacco}",
                 "water-pipe tobacco", 40, 0.005),
    "rawtobacco": _g("tobacco", "240120", "KGM", "product=raw_tobacco;brand=Unbranded",
                     "raw tobacco leaves|cut tobacco", 20, 0.02),
    "heated": _g("tobacco", "240411", "H87", "product=heated_tobacco;brand={tobacco}",
                 "heated tobacco sticks", 0.3, 0.3),
    "clothing": _g("ipr", "610910", "H87",
                   "right_type=trademark;brand={fashion};product_type=clothing",
                   "counterfeit T-shirts|fake sports jerseys|counterfeit jackets", 30, 1),
    "footwear": _g("ipr", "640411", "PR",
                   "right_type=trademark;brand={sport};product_type=footwear",
                   "pairs of counterfeit trainers|pairs of fake sports shoes", 80, 0.6),
    "bags": _g("ipr", "420221", "H87", "right_type=trademark;brand={fashion};product_type=bags",
               "counterfeit handbags|fake leather wallets", 300, 0.3),
    "watches": _g("ipr", "910211", "H87",
                  "right_type=trademark;brand={luxury};product_type=watches",
                  "counterfeit watches|replica watches", 500, 0.2),
    "phones": _g("ipr", "851713", "H87",
                 "right_type=trademark;brand={tech};product_type=electronics",
                 "counterfeit smartphones|fake earphones and chargers", 150, 0.4),
    "toys": _g("ipr", "950300", "H87",
               "right_type=health_safety;brand={toy};product_type=toys",
               "unsafe toys|counterfeit dolls and figures", 15, 1.5),
    "perfume": _g("ipr", "330300", "H87",
                  "right_type=trademark;brand={luxury};product_type=cosmetics",
                  "bottles of counterfeit perfume|fake cosmetic products", 60, 0.5),
    "parts": _g("ipr", "870899", "H87",
                "right_type=trademark;brand={auto};product_type=spare_parts",
                "counterfeit brake pads|fake car parts", 40, 0.3),
    "medicines": _g("ipr", "300490", "H87",
                    "right_type=trademark;brand={pharma};product_type=medicines",
                    "falsified tablets|counterfeit pills", 2, 20),
    "cash": _g("currency", "490700", "H87", "instrument=cash",
               "undeclared cash|banknotes", 50, 1),
    "gold": _g("currency", "710812", "KGM", "instrument=gold",
               "gold bars|gold paste|gold jewellery", 65000),
    "bearer": _g("currency", "490700", "H87", "instrument=bearer_instrument",
                 "bearer cheques", 5000, 0.002),
    "firearm": _g("weapons", "930200", "H87", "weapon_type=firearm;calibre={calibre}",
                  "pistols|semi-automatic pistols|rifles", 900, 1),
    "gunparts": _g("weapons", "930510", "H87", "weapon_type=parts;calibre={calibre}",
                   "pistol frames and slides|firearm parts", 150, 3),
    "ammunition": _g("weapons", "930630", "H87", "weapon_type=ammunition;calibre={calibre}",
                     "cartridges|rounds of ammunition", 1, 150),
    "chips": _g("strategic", "854231", "H87", "control_entry=3A001;end_use={end_use}",
                "integrated circuits|high-performance processors", 200, 20),
    "drones": _g("strategic", "880699", "H87", "control_entry=9A012;end_use={end_use}",
                 "unmanned aerial vehicles|drone components", 3000, 0.5),
    "machines": _g("strategic", "845710", "H87", "control_entry=2B001;end_use={end_use}",
                   "machining centres|CNC machine tools", 150000, 0.05),
    "crypto": _g("strategic", "851762", "H87", "control_entry=5A002;end_use={end_use}",
                 "encrypted radio sets|network encryption units", 2500, 0.5),
    "antiquities": _g("cultural", "970510", "H87",
                      "object_type=archaeological;period={period}",
                      "archaeological objects|statuettes and pottery fragments", 4000, 1),
    "coins": _g("cultural", "970531", "H87", "object_type=coins;period={period}",
                "ancient coins", 300, 6),
    "religious": _g("cultural", "970510", "H87", "object_type=religious;period={period}",
                    "religious statues|temple carvings", 8000, 0.5),
    "fossils": _g("cultural", "970521", "H87", "object_type=fossils;period=Cretaceous",
                  "fossils|dinosaur eggs", 2000, 1),
    "undervalued": _g("revenue", "851762", "KGM", "fraud_type=undervaluation;duty_evaded={duty}",
                      "electronics|telecom equipment", 40),
    "textiles": _g("revenue", "620342", "KGM", "fraud_type=misclassification;duty_evaded={duty}",
                   "garments|textiles", 12),
    "sugar": _g("revenue", "170199", "KGM", "fraud_type=origin;duty_evaded={duty}",
                "sugar|cane sugar", 0.5, 10),
    "rice": _g("revenue", "100630", "KGM", "fraud_type=quota;duty_evaded={duty}",
               "rice|milled rice", 0.6, 10),
    "cars": _g("revenue", "870323", "KGM", "fraud_type=relief_abuse;duty_evaded={duty}",
               "used vehicles|passenger cars", 8, 2),
    "steel": _g("revenue", "721049", "KGM", "fraud_type=origin;duty_evaded={duty}",
                "steel sheets|coated steel", 1, 20),
}
BRANDS = {
    "tobacco": "Golden Crest|Royal Falcon|Nordic Blue|Capital Gold|Desert Star|Red Harbour",
    "fashion": "Luxor|Velmora|Lumina Paris|Northcape|Zentro",
    "sport": "Luxor Sport|Stridex|Kestrel|Apex Runner",
    "luxury": "Luxor|Orbis|Maison Lumina|Caliber Geneve",
    "tech": "Voltix|Nexaphone|Pulsar Audio",
    "toy": "Voltix Kids|Brickland|Tiny Planet",
    "auto": "Stoppa|Voltix Motors|Ferrotec",
    "pharma": "Curavita|Medaxa|Novapharm",
}
DETAIL_CHOICES = {
    "calibre": "9 mm|5.56 mm|7.62 mm|12 gauge|.22 LR",
    "end_use": "Civilian drones|Industrial automation|University research|Telecommunications",
    "period": "Roman|Pharaonic|Pre-Columbian|Byzantine|Islamic period|Khmer|Nok culture|Neolithic",
}
RISK_PROFILES = {
    "drugs": "Reefer containers from high-risk ports|Recent change of consignee|Unusual "
             "routing of cargo|Travellers on routes from source countries|First-time importer "
             "of perishable goods|Freight paid in cash",
    "tobacco": "Trailers with mismatched cover loads|Containers from free zones|New importer "
               "with no trade history",
    "ipr": "Sports goods from known counterfeit hubs|Low declared value per item|Parcels "
           "declared as samples|Rights holder application on file",
    "environment": "Timber and nuts from wildlife source countries|Air passengers to Asian "
                   "hubs|Exports of used electronics",
    "currency": "Cash couriers on outbound flights|Frequent short trips to gold hubs",
    "weapons": "Southbound vehicles at the border|Parcels with metal parts",
    "strategic": "Dual-use goods to diversion hubs|End user on a watch list",
    "cultural": "Antiques without export certificates",
    "revenue": "Declared values far below reference prices|Preferential origin claims",
}
EXTRAS = {
    "drugs": "Samples were sent to the customs laboratory.|A controlled delivery was not "
             "possible.|The case was passed to the drug investigation unit.",
    "tobacco": "The evaded excise duty is being assessed.|The importer is under investigation.",
    "ipr": "The rights holder confirmed the goods are counterfeit.|The goods will be destroyed "
           "under customs supervision.|Detained under the IPR enforcement procedure.",
    "environment": "The specimens were handed over to the wildlife authority.|No CITES permit "
                   "was presented.|The export permit presented was forged.",
    "currency": "The amount exceeded the declaration threshold.|The funds were detained "
                "pending an inquiry into their origin.",
    "weapons": "The police took over the case.|Serial numbers had been removed.",
    "strategic": "No export licence had been requested.|The end user is under sanctions.",
    "cultural": "Museum experts confirmed the origin.|No export certificate was presented.",
    "revenue": "A post-clearance audit followed.|Duties and taxes are being recovered.",
    "waste": "The shipment will be returned to the country of export.|The exporter had no "
             "prior informed consent.|The environment agency was informed.",
    "": "Information was shared with the RILO.|The investigation continues with partner "
        "administrations.",
}
COVER = ("bananas", "pineapples", "frozen shrimp", "coffee beans", "cocoa beans", "scrap metal",
         "ceramic tiles", "fruit juice", "avocados", "furniture", "cashew nuts", "sesame seeds",
         "spare parts", "textiles", "toys", "fresh vegetables", "household goods", "machinery",
         "timber", "plastic granules")
HIDDEN = {
    "mixed": "among boxes of {cover}|mixed with a load of {cover}|inside sacks of {cover}",
    "in_cargo": "declared as {cover}|listed as {cover} on the manifest",
    "container_structure": "in the walls of the container|inside the reefer unit|under the "
                           "container floor",
    "false_compartment": "in a false compartment|in a hidden structure|inside hollowed-out "
                         "machinery",
    "vehicle": "hidden in the fuel tank|hidden behind the door panels|hidden in the spare "
               "wheel|hidden under the floor",
    "body": "strapped to the body|in swallowed capsules|under the clothing",
    "baggage": "in checked baggage|in the lining of a suitcase|in a false-bottom suitcase",
    "mail_item": "in parcels declared as {gift}|in postal items|in small parcels",
    "not_concealed": "without any concealment|openly in the consignment",
}
ON_PERSON = {  # how a traveller hides what a cargo hides in a false compartment or as cargo
    "false_compartment": "in a hidden compartment of a suitcase|inside hollowed-out souvenirs",
    "in_cargo": "among personal effects|declared as personal effects",
    "mixed": "among personal effects|mixed with clothes in a suitcase",
}
MAIL_COVER = ["gifts", "samples", "documents", "clothing", "books", "spare parts", "cosmetics"]
FRAUD = {
    "undervaluation": "declared far below their value",
    "misclassification": "declared under a lower-duty tariff heading",
    "origin": "given a false preferential origin",
    "quota": "imported beyond the quota", "relief_abuse": "imported under an undue relief",
}
VEHICLE = {
    "sea_container": "a 40-foot container|a reefer container|a container",
    "sea_bulk": "a ro-ro trailer|a bulk shipment", "air_cargo": "an air cargo shipment",
    "air_passenger": "the baggage of a passenger", "express_courier": "express courier parcels",
    "postal": "postal parcels", "road": "a truck|a car|a van", "rail": "a freight train wagon",
    "pedestrian": "the bags of a pedestrian",
}
CARGO = (
    "{Amount} found {hidden} in {vehicle} from {origin}{to}, after {det}.",
    "{Det} led to {vehicle} from {origin}; {amount} found {hidden}.",
    "Seizure of {amount} {hidden}, in {vehicle} from {origin}{to}.",
    "{What} ({qty}) {hidden} in {vehicle} arriving from {origin}.",
)
PASSENGER = (
    "A passenger arriving from {origin} carried {amount} {hidden}.",
    "{Det} on a flight from {origin}{to}: {amount} {hidden}.",
    "{Amount} {hidden}, carried by a traveller from {origin}, found after {det}.",
)
OUTBOUND = (
    "A passenger leaving for {dest} carried {amount} {hidden}.",
    "{Det} before a flight to {dest}: {amount} {hidden}.",
    "{Amount} {hidden}, carried by a traveller leaving for {dest}, found after {det}.",
)
ON_FOOT = (
    "A traveller crossing on foot from {origin} carried {amount} {hidden}.",
    "{Amount} {hidden}, carried by a pedestrian from {origin}, found after {det}.",
)
POSTED = (
    "{Amount} {hidden}, posted to {dest}, found after {det}.",
    "{Det} picked out {vehicle} addressed to {dest} holding {amount}.",
)
EXPORT = (
    "{Amount} found {hidden} in {vehicle} bound for {dest}, after {det}.",
    "{Det} led to {vehicle} about to leave for {dest}; {amount} found {hidden}.",
    "Export control: {amount} {hidden} in {vehicle} bound for {dest}.",
)
REVENUE = (
    "{Det} showed that {amount} from {origin} had been {fraud}.",
    "{Amount} from {origin} had been {fraud}, as {det} revealed.",
    "Customs found that {amount} imported from {origin} had been {fraud}.",
)
MAIL = (
    "{Amount} {hidden}, sent from {origin}{to}.",
    "{Det} picked out {vehicle} from {origin} holding {amount}.",
    "{What} ({qty}) {hidden} from {origin}, found after {det}.",
)
DETECTION = {
    "risk_profile": "a risk profile", "intelligence": "intelligence from a partner agency",
    "random": "a random check", "scanner": "scanner images", "dog": "a detector dog",
    "routine": "a routine control", "tip_off": "a tip-off", "other": "a documentary check",
}


SCENARIOS = (
    Scenario("cocaine_sea", "cocaine:1", "dest NL:10 ES:8 FR:4 PL:0.5 MX:3 US:2 AU:1 ZA:1 | "
             "origin CO:8 BR:5 | transit SN:2 CI:2 MA:1",
             "EC@ECGYE:6 CO@COCTG:4 CO@COBUN:3 BR@BRSSZ:3 PE@PECLL:2 PA@PAMIT:2 DO@DOCAU:1",
             "BE@BEANR:6 NL@NLRTM:5 ES@ESALG:3 ES@ESVLC:2 FR@FRLEH:2 DE@DEHAM:2 IT@ITGIT:1",
             "sea_container:9 sea_bulk:1",
             "mixed:4 container_structure:2 in_cargo:2 false_compartment:1",
             "risk_profile:4 scanner:3 intelligence:3 dog:1 random:0.5", (150, 1.3),
             "-:6 PA:2 DO:1 SN:1 CI:1 GH:1", trend=1.2, offenders=0.15),
    Scenario("cocaine_air", "cocaine:6 crack:1", "dest FR:4 ES:5 NL:4 PL:0.5 NG:2 ZA:2 IN:1 "
             "TH:1 AU:1 JP:0.5 US:2 | origin BR:5 CO:3 MX:1 | transit SN:1 CI:1 KE:1 AE:1",
             "BR@BRGRU:5 CO@COBOG:2 PE@PELIM:1 BR@BRGIG:1 GF@GFCAY:1 SR@SRPBM:0.5",
             "ES@ESMAD:3 NL@NLAMS:3 FR@FRCDG:3 PT@PTLIS:1 NG@NGLOS:1 ZA@ZAJNB:1",
             "air_passenger:8 air_cargo:2", "baggage:5 body:3 false_compartment:1 mixed:1",
             "risk_profile:3 dog:2 scanner:2 routine:2 intelligence:1", (3, 0.7),
             "-:4 ET:1 QA:1 SN:1", SUMMER, 1.1, offenders=0.95),
    Scenario("us_border", "meth:4 cocaine:3 fentanyl:3 herb:1 heroin:1", "dest US:10 | "
             "origin MX:4", "MX:1", "US:1", "road:8 pedestrian:1 rail:0.5",
             "vehicle:6 false_compartment:2 mixed:2 body:1",
             "scanner:4 dog:3 risk_profile:2 routine:2 tip_off:0.5", (12, 1.2),
             trend=1.1, offenders=0.8),
    Scenario("heroin_south", "heroin:6 opium:1 meth:2", "dest IN:6 ZA:2 NL:1 AU:1 | "
             "transit KE:4 AE:2 EG:1 NG:1", "PK@PKKHI:3 IR@IRBND:3 AF:2",
             "KE@KEMBA:2 TZ@TZDAR:2 MZ@MZMPM:1 ZA@ZADUR:1 NL@NLRTM:1 BE@BEANR:1 IN@INMUN:1",
             "sea_container:5 sea_bulk:2 air_passenger:2 road:1",
             "mixed:3 false_compartment:3 in_cargo:1 baggage:1 body:1 vehicle:1",
             "intelligence:4 risk_profile:3 scanner:2 dog:1", (25, 1.5), "-:3 AE:1 OM:1",
             trend=0.95, offenders=0.4),
    Scenario("golden_triangle", "yaba:6 meth:3 ketamine:1 heroin:1", "origin TH:10 | dest IN:1",
             "MM:4 LA@LAVTE:1 TH:1", "MY@MYPKG:2 AU@AUSYD:1 JP@JPTYO:1 KR@KRPUS:1 PH@PHMNL:1",
             "road:7 sea_container:2 air_cargo:1", "vehicle:5 mixed:3 false_compartment:2",
             "intelligence:3 routine:3 dog:2 scanner:2", (40, 1.4), season=HARVEST, trend=1.15,
             offenders=0.7),
    Scenario("meth_pacific", "meth:6 cocaine:2 mdma:1 ketamine:1", "dest AU:10 JP:6 | "
             "origin MX:2 NG:2 ZA:1 US:1",
             "MX@MXZLO:3 US@USLAX:2 CN@CNYTN:1 TH@THLCH:1 MY@MYPKG:1 CA@CAYVR:1 NG@NGLOS:1",
             "AU@AUSYD:4 AU@AUMEL:3 JP@JPYOK:2 JP@JPNRT:2 NZ@NZAKL:1",
             "sea_container:4 air_cargo:3 postal:2 air_passenger:1",
             "in_cargo:3 mixed:3 false_compartment:3 mail_item:2 baggage:1",
             "risk_profile:4 scanner:3 intelligence:2 dog:1", (30, 1.6), trend=1.15,
             offenders=0.3),
    Scenario("cannabis_resin", "resin:8 herb:1", "dest ES:10 FR:3 NL:1 | inland FR:2 | "
             "origin MA:6", "MA@MAPTM:5 MA@MATNG:2 MA@MANDR:1",
             "ES@ESALG:4 FR:3 NL:1 BE:1 IT:1 ES@ESAGP:1",
             "sea_bulk:5 road:3 sea_container:1 air_passenger:0.5",
             "vehicle:4 false_compartment:3 mixed:3 baggage:0.5",
             "scanner:4 dog:3 risk_profile:2 routine:2 intelligence:1", (300, 1.2),
             "-:4 ES:2", HARVEST, 0.95, offenders=0.6),
    Scenario("captagon", "captagon:1", "dest AE:7 EG:2 | transit EG:2",
             "SY@SYLTK:4 SY@SYTTS:1 LB@LBBEY:3", "SA@SAJED:4 AE@AEJEA:2 KW@KWKWI:1 IQ:1",
             "sea_container:6 road:2 air_cargo:1", "mixed:4 false_compartment:3 in_cargo:1",
             "risk_profile:3 scanner:3 intelligence:3 dog:1", (40, 1.5), "-:3 JO:2 TR:1",
             trend=0.9, offenders=0.2),
    Scenario("wildlife_out", "ivory:5 scales:5 horn:1 rosewood:1", "origin KE:6 NG:6 CI:2 "
             "ZA:2 SN:1 | transit AE:2 KE:1 | dest TH:3",
             "NG@NGLOS:3 CD@CDMAT:2 CM@CMDLA:2 KE@KEMBA:2 MZ@MZMPM:1 TZ@TZDAR:1 UG@UGEBB:1",
             "VN@VNHPH:4 VN@VNSGN:2 CN@CNNSA:2 MY@MYPKG:2 HK@HKHKG:1 KH@KHPNH:1 TH@THLCH:1",
             "sea_container:6 air_cargo:2 air_passenger:1", "mixed:4 false_compartment:3 "
             "in_cargo:1 baggage:1", "intelligence:4 scanner:3 dog:2 risk_profile:2",
             (250, 1.2), "-:3 MY:1 SG:1 AE:1", trend=0.85, offenders=0.3),
    Scenario("glass_eels", "eels:1", "origin FR:3 ES:3 | transit PL:0.5 MA:0.5",
             "FR:3 ES:2 PT:1", "CN@CNPVG:3 HK@HKHKG:2 MY:1 TH@THBKK:1",
             "air_passenger:6 road:2 air_cargo:1", "baggage:6 vehicle:2 in_cargo:1",
             "risk_profile:3 dog:1 intelligence:3 routine:2 scanner:1", (40, 0.8),
             "-:3 MA:1 TR:1", GLASS_EELS, offenders=0.9),
    Scenario("counterfeit_sea", "clothing:4 footwear:3 bags:2 watches:1 phones:2 toys:2 "
             "perfume:1 parts:1 medicines:1",
             "dest FR:6 NL:4 ES:5 PL:4 US:6 MX:3 BR:4 CO:1 NG:3 KE:3 ZA:3 SN:2 CI:2 MA:2 EG:3 "
             "JP:2 AU:1 IN:1 | transit AE:3 TH:1",
             "CN@CNSHG:4 CN@CNNBO:3 CN@CNYTN:2 HK@HKHKG:1 TR@TRMER:1 VN@VNHPH:1 AE@AEJEA:1",
             "FR@FRLEH:1", "sea_container:9 sea_bulk:0.5",
             "in_cargo:5 mixed:4 false_compartment:0.5",
             "risk_profile:5 intelligence:2 routine:2 tip_off:1 random:1 scanner:1",
             (3000, 1.3), "-:6 AE:1 MY:1 EG:1", YEAR_END, 1.05, 0.05, second_line=0.3),
    Scenario("counterfeit_small", "watches:2 bags:2 medicines:2 perfume:2 phones:2 clothing:1 "
             "footwear:2 toys:1", "dest US:8 FR:4 NL:3 ES:3 PL:2 JP:4 AU:4 BR:2 MX:2 ZA:1 KE:1 "
             "AE:1 IN:1 TH:1", "CN@CNSZX:4 CN@CNCAN:2 HK@HKHKG:3 TR@TRIST:1 TH@THBKK:1 "
             "IN@INBOM:1", "FR:1", "express_courier:5 postal:4 air_cargo:1",
             "mail_item:6 in_cargo:3 not_concealed:1", "risk_profile:5 random:2 routine:2 "
             "scanner:1", (20, 1.1), season=YEAR_END, trend=1.15, offenders=0.0),
    Scenario("cigarettes_europe", "cigarettes:8 shisha:2 rawtobacco:1 heated:1",
             "dest PL:10 FR:3 ES:4 NL:2 | inland FR:2 PL:2 ES:1",
             "BY:5 UA:3 AE@AEJEA:3 CN@CNSHG:1 AD:1 GI:1 RU:1 TR@TRMER:1", "PL:1 DE:1 FR:1",
             "road:5 rail:2 sea_container:3 pedestrian:0.5",
             "vehicle:3 false_compartment:3 mixed:3 in_cargo:1 body:0.2",
             "scanner:4 risk_profile:3 intelligence:2 routine:2 dog:1", (200000, 1.4),
             offenders=0.6, second_line=0.1),
    Scenario("cigarettes_africa", "cigarettes:8 shisha:3", "dest NG:3 KE:3 ZA:4 SN:2 CI:2 "
             "MA:2 EG:2 | origin AE:2",
             "AE@AEJEA:4 BJ@BJCOO:2 ZW:2 UG:1 TG@TGLFW:1 DZ:1", "NG:2 KE:1 LY:1 ML:1",
             "road:4 sea_container:3 pedestrian:1",
             "vehicle:3 mixed:3 in_cargo:2 false_compartment:2 baggage:1",
             "routine:3 scanner:2 risk_profile:2 intelligence:2 tip_off:1", (150000, 1.4),
             offenders=0.5),
    Scenario("cash_out", "cash:8 bearer:1", "origin FR:3 ES:3 NL:2 PL:1 US:4 CO:1 BR:1 NG:2 "
             "KE:1 ZA:1 SN:1 EG:1 MA:1 AE:1 TH:1 AU:1 | dest MX:2 CO:1",
             "US@USMIA:1", "DZ:2 MA:2 TR:2 CN:1 AE@AEDXB:2 CO:1 MX:1 LB:1 NG:1",
             "air_passenger:8 road:2", "baggage:5 body:3 false_compartment:1 vehicle:1",
             "routine:3 risk_profile:3 dog:1 scanner:2 intelligence:2", (1200, 1.0),
             season=SUMMER, offenders=0.95),
    Scenario("gold_in", "gold:1", "dest IN:8 JP:2 NG:1 KE:0.5",
             "AE@AEDXB:5 SA@SAJED:2 QA@QADOH:1 KR@KRICN:1 HK@HKHKG:1 OM:1", "IN:1",
             "air_passenger:8 air_cargo:1 postal:0.5",
             "body:4 baggage:4 false_compartment:2 in_cargo:1 mail_item:0.5",
             "intelligence:3 risk_profile:3 scanner:2 routine:2", (1.5, 0.8), season=SUMMER,
             offenders=0.95),
    Scenario("weapons", "firearm:4 gunparts:3 ammunition:3", "origin US:4 | dest MX:4 BR:2 "
             "CO:1 AU:2 JP:1 FR:1 NL:1 PL:1 NG:1 KE:0.5 ZA:0.5 SN:0.5 CI:0.5",
             "US@USMIA:2 US:2 TR@TRMER:1 UA:0.5 CN:1", "MX:2 BR:1 HT:1 CO:1",
             "road:4 postal:2 express_courier:1 sea_container:2 air_cargo:1",
             "vehicle:3 mail_item:3 mixed:2 false_compartment:2",
             "scanner:3 intelligence:3 risk_profile:2 routine:2 dog:0.5", (8, 1.3),
             offenders=0.5),
    Scenario("strategic", "chips:3 drones:3 machines:1 crypto:2", "origin US:3 JP:2 NL:2 FR:1 "
             "PL:1 IN:0.5 | transit AE:3", "US:1 DE:1 CN:1", "RU:3 IR:2 KP:0.5 SY:0.5",
             "air_cargo:4 express_courier:3 road:2 sea_container:2", "in_cargo:6 mixed:2 "
             "mail_item:1", "intelligence:5 risk_profile:4 other:1", (40, 1.2),
             "-:2 AE:2 TR:1 KZ:1 AM:1 GE:1", trend=1.3, offence=0.2),
    Scenario("cultural", "antiquities:5 coins:2 religious:2 fossils:1", "origin EG:3 CO:1 "
             "MA:1 NG:1 TH:1 IN:1 | dest US:3 FR:2 ES:1 NL:0.5 | transit AE:1",
             "EG:2 IQ:1 SY:1 PE:1 MX:1 KH:1", "US:2 FR:1 DE:1 GB:1 AE:1 CH:1",
             "postal:2 express_courier:2 air_passenger:3 sea_container:1 air_cargo:2",
             "mail_item:3 baggage:3 in_cargo:2 mixed:1", "intelligence:3 routine:3 "
             "risk_profile:2 scanner:1", (6, 1.0), offenders=0.5),
    Scenario("revenue", "undervalued:3 textiles:3 sugar:1 rice:1 cars:1 steel:1",
             "dest IN:4 BR:3 NG:4 KE:3 ZA:3 EG:3 TH:2 MX:2 CO:2 FR:2 NL:2 ES:2 PL:2 US:3 JP:1 "
             "AU:1 SN:2 CI:2 MA:2 AE:1",
             "CN@CNSHG:4 CN@CNNBO:2 IN@INNSA:1 AE@AEJEA:1 TH@THLCH:1 VN@VNHPH:1 TR@TRMER:1",
             "NG:1", "sea_container:7 road:2 air_cargo:1", "in_cargo:6 mixed:1",
             "risk_profile:4 intelligence:2 other:2 routine:2", (20000, 1.0), offence=0.6),
    Scenario("tramadol", "tramadol:1", "dest NG:6 EG:4 SN:2 CI:2 KE:1 MA:1 | origin IN:3 | "
             "transit AE:1", "IN@INNSA:6 IN@INMUN:2 CN@CNSHG:1",
             "NG@NGAPP:3 EG@EGPSD:2 GH@GHTEM:1 SN@SNDKR:1 LY:1", "sea_container:8 air_cargo:1 "
             "postal:1", "in_cargo:3 mixed:4 false_compartment:1 mail_item:0.5",
             "risk_profile:4 intelligence:3 scanner:2 routine:1", (300, 1.3), "-:3 AE:1 TG:1",
             offenders=0.1),
    Scenario("khat", "khat:1", "origin KE:2 | dest NL:2 US:1 FR:0.5 ZA:0.5",
             "KE@KENBO:3 ET@ETADD:2", "NL@NLAMS:2 GB:1 US:1 SE:1",
             "air_cargo:6 air_passenger:2 postal:1", "in_cargo:4 baggage:2 mixed:2 mail_item:1",
             "routine:3 dog:2 risk_profile:3", (90, 0.8), offenders=0.3),
    Scenario("synthetics_out", "mdma:4 amphetamine:2 ketamine:1", "origin NL:3 PL:1 | dest "
             "AU:3 JP:1 BR:1 US:1 TH:0.5", "NL@NLAMS:3 BE:1 DE:1 PL:0.5",
             "AU@AUSYD:2 JP@JPNRT:1 BR@BRGRU:1 US:1 NZ:1",
             "postal:4 express_courier:3 air_passenger:2", "mail_item:6 baggage:2 body:1",
             "risk_profile:4 scanner:2 dog:2 intelligence:1", (2, 1.5), trend=1.05,
             offenders=0.2),
    Scenario("precursors", "precursor:1", "dest NL:2 MX:4 | origin IN:1",
             "CN@CNSHG:4 CN@CNNBO:2 IN@INNSA:2", "MX@MXLZC:2 NL@NLRTM:1",
             "sea_container:8 air_cargo:1", "in_cargo:6 mixed:2",
             "intelligence:4 risk_profile:4 other:1", (800, 1.2), trend=1.1, offence=0.1),
    Scenario("us_mail_opioids", "fentanyl:2 nps:2 nitazene:1 tramadol:1", "dest US:3 AU:0.5",
             "CN@CNSZX:3 IN@INBOM:2 HK@HKHKG:1", "US:1", "express_courier:5 postal:5",
             "mail_item:8 in_cargo:2", "risk_profile:5 dog:2 scanner:2 intelligence:1",
             (0.5, 1.5), trend=1.15, offenders=0.0),
    Scenario("herb", "herb:1", "origin TH:3 CO:1 MX:1 ZA:1 | dest FR:2 NL:1 JP:2 AU:1 SN:1 "
             "KE:1 MA:0.5 PL:0.5", "TH@THBKK:3 US:2 CA:1 GH:1 UG:1 TZ:1",
             "GB:2 FR:1 DE:1 JP:1", "air_passenger:3 postal:3 express_courier:2 road:2",
             "baggage:4 mail_item:4 vehicle:2", "risk_profile:3 dog:3 scanner:2 routine:2",
             (12, 1.3), trend=1.15, offenders=0.6),
    Scenario("waste_ods", "ewaste:4 plastic:2 ods:3", "origin NL:2 FR:1 ES:1 JP:1 US:1 | "
             "dest NG:2 TH:2 KE:1 IN:1 EG:1 PL:1", "NL@NLRTM:2 BE@BEANR:1 GB:1 US@USLAX:1 "
             "CN:1", "NG@NGAPP:2 GH@GHTEM:2 TH@THLCH:1 MY@MYPKG:1 IN:1",
             "sea_container:8 road:2", "in_cargo:6 mixed:3 vehicle:1",
             "risk_profile:4 intelligence:3 routine:2 other:1", (12000, 1.0), offenders=0.05),
)

# fmt: on


def _weights(text: str) -> Weighted:
    """``"NL:10 ES:8"`` -> ``(("NL", 10.0), ("ES", 8.0))``."""
    return tuple((item.rsplit(":", 1)[0], float(item.rsplit(":", 1)[1])) for item in text.split())


def _seizers(text: str) -> dict[str, list[tuple[str, float]]]:
    """``"dest NL:10 | origin CO:8"`` -> ``{"NL": [("dest", 10.0)], "CO": [("origin", 8.0)]}``."""
    found: dict[str, list[tuple[str, float]]] = {}
    for part in text.split("|"):
        position, _sep, rest = part.strip().partition(" ")
        for country, weight in _weights(rest):
            found.setdefault(country, []).append((position, weight))
    return found


def _choice(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    return rng.choices([o for o, _w in options], [w for _o, w in options])[0]


@dataclass
class Catalogue:
    """What the loaded reference data holds: generated cases use nothing else."""

    places: dict[str, str]
    hs_codes: set[str]
    species: dict[str, str]
    countries: dict[str, str]
    group_id: Any = None

    @classmethod
    def from_database(cls) -> Catalogue:
        from opencen.reference.models import CitesSpecies, Country, HsCode, Place

        wanted_places = set(
            re.findall(
                r"[A-Z]{5}",
                " ".join([*PLACES.values()] + [f"{s.origins} {s.destinations}" for s in SCENARIOS]),
            )
        )
        wanted_hs = {g.hs[:n] for g in GOODS.values() for n in (2, 4, 6)}
        names = {n for g in GOODS.values() for n in g.details.get("species", "").split("|") if n}
        return cls(
            places=dict(Place.objects.filter(code__in=wanted_places).values_list("code", "name")),
            hs_codes=set(HsCode.objects.filter(code__in=wanted_hs).values_list("code", flat=True)),
            species={
                s.scientific_name: s.appendix
                for s in CitesSpecies.objects.filter(scientific_name__in=names)
            },
            countries={
                code: name.split(",")[0].split(" (")[0]
                for code, name in Country.objects.values_list("code", "name")
            },
        )


@dataclass
class DemoCase:
    """One generated case (the ``CaseIn`` payload) and the status it should end in."""

    payload: dict[str, Any]
    status: str = "submitted"


@dataclass
class _Ctx:
    """What generating one administration's cases needs: its random stream and the catalogue."""

    rng: random.Random
    cat: Catalogue
    admin: str
    screen: bool = True
    seen_text: dict[str, bool] = field(default_factory=dict)

    def clean(self, text: str) -> bool:
        """True when the personal-data gate lets ``text`` through (cached; always True when
        not screening, for benchmarks that leave the gate to the import itself)."""
        if not self.screen:
            return True
        if text not in self.seen_text:
            self.seen_text[text] = not find_personal_data(text)
        return self.seen_text[text]


def _hs(cat: Catalogue, code: str) -> str:
    for n in (6, 4, 2):
        if code[:n] in cat.hs_codes:
            return code[:n]
    return ""


def _place(ctx: _Ctx, kind: str) -> str:
    codes = [c for c in SEIZURE_PLACES[ctx.admin].get(kind, ()) if c in ctx.cat.places]
    if not codes:
        return ""
    return _choice(ctx.rng, [(c, 1 / (i + 1)) for i, c in enumerate(codes)])


def _leg(ctx: _Ctx, options: str, role: str, avoid: set[str]) -> dict[str, str] | None:
    picks = [(o, w) for o, w in _weights(options) if o.split("@")[0] not in avoid]
    if not picks:
        return None
    country, _sep, place = _choice(ctx.rng, picks).partition("@")
    if country not in ctx.cat.countries:
        return None
    return {"role": role, "country": country, "place": place if place in ctx.cat.places else ""}


def _quantity(rng: random.Random, median: float, sigma: float, unit: str) -> Decimal:
    value = math.exp(math.log(median) + rng.gauss(0, sigma))
    if rng.random() < 0.02:  # the rare record seizure
        value *= rng.uniform(5, 30)
    if unit != "KGM" or value >= 100:
        return Decimal(max(2, round(value)))
    return Decimal(str(round(value, 3 if value < 1 else 1)))


def _amount(line: dict[str, Any]) -> tuple[str, str]:
    """How much, alone ("412 kg", "12,000", "USD 9,500") and with what ("412 kg of heroin")."""
    what, quantity = line["description"].lower(), Decimal(line["quantity"])
    if line["details"].get("instrument") in ("cash", "bearer_instrument"):
        qty = f"{line['currency']} {int(Decimal(line['value'])):,}"
        return qty, f"{qty} in {what}"
    if line["unit"] != "KGM":
        return f"{int(quantity):,}", f"{int(quantity):,} {what}"
    if quantity >= 1000:
        qty = f"{quantity / 1000:.1f} tonnes"
    else:
        qty = f"{quantity:g} kg" if quantity >= 1 else f"{quantity * 1000:.0f} g"
    return qty, f"{qty} of {what}"


def _fill(ctx: _Ctx, text: str, duty: Decimal | None = None) -> str:
    def one(match: re.Match[str]) -> str:
        key = match[1]
        if key == "duty":
            return str(duty or "")
        source = BRANDS.get(key) or DETAIL_CHOICES.get(key, key)
        return ctx.rng.choice(source.split("|"))

    return re.sub(r"\{(\w+)\}", one, text)


def _line(ctx: _Ctx, key: str, scenario: Scenario, scale: float) -> tuple[dict[str, Any], Goods]:
    goods = GOODS[key]
    rng = ctx.rng
    quantity = _quantity(rng, scenario.qty[0] * goods.scale * scale, scenario.qty[1], goods.unit)
    currency, rate = CURRENCY[ctx.admin]
    value = Decimal(
        str(round(float(quantity) * goods.price * rate * math.exp(rng.gauss(0, 0.3)), 2))
    )
    if goods.details.get("instrument") == "cash":
        currency = "EUR" if currency == "EUR" else "USD"
        value = Decimal(int(quantity) * rng.choice((20, 50, 50, 100)))
    details: dict[str, str] = {}
    for name, raw in goods.details.items():
        if name == "species":
            present = [n for n in raw.split("|") if n in ctx.cat.species]
            if not present:  # no CITES checklist loaded: keep the specimen, not the listing
                details = {"subtype": "other", "specimen": goods.details["specimen"]}
                break
            details["species"] = rng.choice(present)
            listed = ctx.cat.species[details["species"]]
            if listed in ("I", "II", "III"):
                details["appendix"] = listed
            continue
        if name not in details:  # the appendix of a listed species comes from the checklist
            details[name] = _fill(ctx, raw, (value * Decimal("0.2")).quantize(Decimal("1")))
    description = rng.choice(goods.what)
    line = {
        "commodity_area": goods.area,
        "hs_code": _hs(ctx.cat, goods.hs),
        "description": description[0].upper() + description[1:],
        "quantity": str(quantity),
        "unit": goods.unit,
        "value": str(value),
        "currency": currency,
        "details": details,
    }
    return line, goods


def _summary(ctx: _Ctx, parts: dict[str, str], templates: Sequence[str], area: str) -> str:
    """A varied summary; anything the personal-data gate would refuse is dropped."""
    rng = ctx.rng
    for template in rng.sample(list(templates), len(templates)):
        text = template.format(
            **parts, **{k.capitalize(): v[0].upper() + v[1:] for k, v in parts.items() if v}
        )
        if rng.random() < 0.5:
            text += " " + rng.choice(EXTRAS[area if rng.random() < 0.8 else ""].split("|"))
        if ctx.clean(text):
            return text
    return f"Seizure of {parts['amount']}."


def _conveyance(rng: random.Random, transport: str) -> dict[str, str]:
    from stdnum import imo, iso6346

    found: dict[str, str] = {}
    if transport.startswith("sea") and rng.random() < 0.7:
        digits = f"9{rng.randrange(100000):05d}"
        found["vessel_imo"] = digits + imo.calc_check_digit(digits)
    if transport == "sea_container" and rng.random() < 0.85:
        body = (
            rng.choice(("MSCU", "MAEU", "CMAU", "HLXU", "CSQU", "TGHU", "OOLU", "EGHU"))
            + f"{rng.randrange(1000000):06d}"
        )
        found["container_number"] = body + iso6346.calc_check_digit(body)
    if transport.startswith("air") and rng.random() < 0.7:
        airline = rng.choice(
            (
                "AF",
                "KL",
                "IB",
                "LO",
                "JL",
                "QF",
                "TG",
                "AI",
                "AA",
                "LA",
                "AV",
                "AM",
                "KQ",
                "SA",
                "ET",
                "EK",
                "QR",
                "TK",
                "MS",
                "AT",
            )
        )
        found["flight_number"] = f"{airline}{rng.randrange(1, 2000)}"
    return found


def _route(
    ctx: _Ctx, scenario: Scenario, position: str, place: str, land: bool
) -> list[dict[str, str]]:
    """Departure, transit and destination legs around the seizing administration.

    Over land, the country next to the administration on the route is a neighbour."""
    admin, rng = ctx.admin, ctx.rng
    own = {"role": "", "country": admin, "place": place}
    origin = own if position == "origin" else _leg(ctx, scenario.origins, "departure", {admin})
    far = {admin, (origin or {}).get("country", "")}
    dest = (
        own
        if position in ("dest", "inland")
        else _leg(ctx, scenario.destinations, "destination", far)
    )
    avoid = far | {(dest or {}).get("country", "")}
    transit = None
    if position == "transit":
        transit = dict(own, role="transit", place="")
    elif not scenario.transits.startswith("-:") or rng.random() < 0.4:
        transit = _leg(ctx, scenario.transits, "transit", avoid)
    if land and position in ("origin", "dest"):
        beside = transit or (dest if position == "origin" else origin)
        neighbours = [c for c in NEIGHBOURS.get(admin, "").split() if c not in avoid]
        if beside is not None and beside["country"] not in NEIGHBOURS.get(admin, "") and neighbours:
            transit = {"role": "transit", "country": rng.choice(neighbours), "place": ""}
    for leg, role in ((origin, "departure"), (dest, "destination")):
        if leg is not None:
            leg["role"] = role
    if transit is not None:
        transit["place"] = ""
    return [leg for leg in (origin, transit, dest) if leg]


def _name(ctx: _Ctx, code: str) -> str:
    name = COUNTRY_NAMES.get(code) or ctx.cat.countries.get(code, code)
    return f"the {name}" if name.startswith(THE) else name


def generate_case(
    ctx: _Ctx, scenario: Scenario, position: str, date: dt.date, ref: str
) -> dict[str, Any]:
    """One ``CaseIn`` payload for ``ctx.admin`` in ``scenario``, seized as ``position``."""
    rng, cat, admin = ctx.rng, ctx.cat, ctx.admin
    modes = _weights(scenario.transport)
    transport = _choice(rng, modes)
    if LOCATION[transport][1] == "land" and not NEIGHBOURS.get(admin):
        transport = next(m for m, _w in modes if LOCATION[m][1] != "land")
    location, place_kind = LOCATION[transport]
    fits = [(c, w) for c, w in _weights(scenario.concealment) if c in FITS[transport]]
    concealment = _choice(rng, fits or [(sorted(FITS[transport])[0], 1)])
    place = _place(ctx, place_kind)
    if position == "inland":
        location, place = "inland", ""
    route = _route(ctx, scenario, position, place, place_kind == "land" and position != "inland")
    roles = {leg["role"]: leg["country"] for leg in route}
    procedure, direction = {
        "dest": ("import", "inbound"),
        "inland": ("import", "domestic"),
        "origin": ("export", "outbound"),
        "transit": ("transhipment" if transport.startswith("sea") else "transit", "in_transit"),
    }[position]
    detection = _choice(rng, _weights(scenario.detection))
    goods_keys = _weights(scenario.goods)
    scale = MODE_SCALE[transport] / MODE_SCALE[modes[0][0]]
    line, goods = _line(ctx, _choice(rng, goods_keys), scenario, scale)
    lines = [line]
    if rng.random() < scenario.second_line:
        lines.append(_line(ctx, _choice(rng, goods_keys), scenario, scale)[0])
    qty, amount = _amount(line)
    location_person = transport in ("air_passenger", "pedestrian")
    mail = transport in ("postal", "express_courier")
    hiding = (location_person and ON_PERSON.get(concealment)) or HIDDEN.get(concealment, "hidden")
    parts = {
        "qty": qty,
        "amount": amount,
        "what": line["description"].lower(),
        "hidden": rng.choice(hiding.split("|")).format(
            cover=rng.choice(MAIL_COVER if mail else COVER), gift=rng.choice(MAIL_COVER)
        ),
        "fraud": FRAUD.get(line["details"].get("fraud_type", ""), ""),
        "vehicle": rng.choice(VEHICLE[transport].split("|")),
        "origin": _name(ctx, roles["departure"]) if "departure" in roles else "abroad",
        "dest": _name(ctx, roles["destination"]) if "destination" in roles else "abroad",
        "to": f" bound for {_name(ctx, roles['destination'])}"
        if roles.get("destination", admin) != admin
        else "",
        "det": DETECTION[detection],
    }
    templates = (
        REVENUE
        if goods.area == "revenue"
        else ON_FOOT
        if transport == "pedestrian"
        else OUTBOUND
        if position == "origin" and location_person
        else PASSENGER
        if location_person
        else POSTED
        if position == "origin" and mail
        else EXPORT
        if position == "origin"
        else MAIL
        if mail
        else CARGO
    )
    extras = "waste" if goods.details.get("subtype") in ("waste", "ods") else goods.area
    payload: dict[str, Any] = {
        "external_ref": ref,
        "date": date.isoformat(),
        "country": admin,
        "place": place,
        "procedure": procedure,
        "location_type": location,
        "direction": direction,
        "detection": detection,
        "transport": transport,
        "concealment": concealment,
        "summary": _summary(ctx, parts, templates, extras),
        "goods": lines,
        "route": route,
        "kind": "offence" if rng.random() < scenario.offence else "seizure",
        **_conveyance(rng, transport),
    }
    if detection == "risk_profile" and rng.random() < 0.8:
        payload["risk_profile"] = rng.choice(RISK_PROFILES[goods.area].split("|"))
    if rng.random() < scenario.offenders:
        count = 1 if rng.random() < 0.8 else rng.randint(2, 4)
        nationality = rng.choice([leg["country"] for leg in route])
        payload["offenders"] = [
            {
                "nationality": nationality,
                "count": count,
                "gender": _choice(rng, (("male", 7), ("female", 2.5), ("unknown", 0.5))),
                "age_band": _choice(
                    rng,
                    (
                        ("18_24", 2),
                        ("25_34", 4),
                        ("35_44", 3),
                        ("45_54", 1.5),
                        ("55_64", 0.5),
                        ("unknown", 1),
                    ),
                ),
            }
        ]
    distribution = _choice(
        rng,
        (
            ("region", 45),
            ("network", 38),
            ("organisation", 12),
            ("groups", 5 if cat.group_id else 0),
        ),
    )
    if cat.group_id and scenario.key == "counterfeit_sea" and rng.random() < 0.4:
        distribution = "groups"
    payload["distribution"] = distribution
    if distribution == "groups":
        payload["groups"] = [str(cat.group_id)]
    return payload


def _date(rng: random.Random, scenario: Scenario, start: dt.date, days: int) -> dt.date:
    """A date in the window, following the scenario's season and yearly trend."""
    top = max(scenario.season) * max(1.0, scenario.trend) ** (days / 365)
    while True:
        offset = rng.randrange(days)
        date = start + dt.timedelta(days=offset)
        weight = scenario.season[date.month - 1] * scenario.trend ** (offset / 365)
        if rng.random() * top <= weight:
            return date


def generate_cases(
    admin: str,
    catalogue: Catalogue,
    *,
    count: int,
    end: dt.date,
    days: int,
    seed: int = 2026,
    screen: bool = True,
) -> list[DemoCase]:
    """``count`` cases seized by ``admin`` over the ``days`` before ``end``, in date order.

    Deterministic for a given seed: references ``DEMO-<admin>-<n>`` number them in order, so a
    second run on another day produces the same references (and creates nothing).  With
    ``screen`` (the default) a summary the personal-data gate would refuse is reworded.
    """
    ctx = _Ctx(random.Random(f"{seed}-{admin}"), catalogue, admin, screen)
    mix = [
        ((s, position), w) for s in SCENARIOS for position, w in _seizers(s.seized).get(admin, [])
    ]
    start = end - dt.timedelta(days=days - 1)
    cases: list[DemoCase] = []
    for _n in range(count):
        scenario, position = _choice(ctx.rng, mix)
        date = _date(ctx.rng, scenario, start, days)
        cases.append(DemoCase(generate_case(ctx, scenario, position, date, "")))
    cases.sort(key=lambda c: c.payload["date"])
    for n, case in enumerate(cases, start=1):
        case.payload["external_ref"] = f"DEMO-{admin}-{n:06d}"
        age = (end - dt.date.fromisoformat(case.payload["date"])).days
        roll = ctx.rng.random()
        if roll < 0.01:
            case.status = "withdrawn"
        elif age < 21 and roll < 0.5:
            case.status = "draft"
        elif roll < (0.35 if age < 90 else 0.85):
            case.status = "validated"
    return cases


def _settle(
    officer: Any, validator: Any, made: list[Any], wanted: dict[str, str], rng: random.Random
) -> None:
    """Give created cases their history: submitted a few days after the seizure, most older
    ones validated by the national contact point a few days later, a few withdrawn.

    Validation is what ``services.do_validate_case`` does (same check, same columns, one
    ``seizures.case.validated`` event per case), in bulk: thousands of one-row transactions
    would make ``opencen demo`` take minutes.  Only the submission and validation times are
    set in the past; creation times and the audit log keep the real time of the run.
    """
    from django.db import transaction
    from django.utils import timezone

    from opencen.audit.services import record_events
    from opencen.audit.tags import EventTag
    from opencen.seizures import services
    from opencen.seizures.choices import Status
    from opencen.seizures.models import Case

    now = timezone.now()
    submitted = [c for c in made if c.status == Status.SUBMITTED]
    validated = []
    for case in submitted:
        seized = dt.datetime.combine(case.date, dt.time(9), tzinfo=dt.UTC)
        case.submitted_at = min(now, seized + dt.timedelta(days=rng.lognormvariate(1.5, 1)))
        if wanted[case.external_ref] == "validated" and services.can_validate(validator, case):
            case.status = Status.VALIDATED
            case.validated_by_organisation_id = validator.organisation_id
            case.validated_at = min(
                now, case.submitted_at + dt.timedelta(days=rng.lognormvariate(1.2, 0.8))
            )
            validated.append(case)
    with transaction.atomic():
        Case.objects.bulk_update(
            submitted,
            ["status", "submitted_at", "validated_at", "validated_by_organisation"],
            batch_size=500,
        )
        record_events(validator, EventTag.SEIZURES_CASE_VALIDATED, list(validated))
    for case in made:
        if wanted[case.external_ref] == "withdrawn":
            services.do_withdraw_case(officer, case.pk, reason="Reported twice by mistake.")


def build_demo_cases(
    *,
    years: int = 3,
    seed: int = 2026,
    per_admin_per_year: int = 60,
    today: dt.date | None = None,
    admins: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Create the demo cases for the demo cast's customs administrations; return how many.

    Needs ``accounts.demo.build_demo_cast()`` first.  Each administration's officer records
    its cases through ``services.check_create_cases`` (recent drafts apart, submitted); its
    national contact point then validates most older ones and a few are withdrawn (see
    ``_settle``).  Cases already there (same external reference) are skipped, so a second run
    creates nothing.  ``admins`` limits the run to some country codes (tests).
    """
    from django.utils import timezone

    from opencen.accounts.actors import actor_for
    from opencen.accounts.demo import CUSTOMS, DOMAIN
    from opencen.accounts.models import ClosedUserGroup, User
    from opencen.seizures import services
    from opencen.seizures.inputs import CaseIn
    from opencen.seizures.models import Case

    end = today or timezone.localdate()
    days = 365 * years
    catalogue = Catalogue.from_database()
    group = ClosedUserGroup.objects.filter(name="Operation Silver Wave (demo)").first()
    created = 0
    for admin in admins or list(CUSTOMS):
        local = f"{admin.lower()}-customs.{DOMAIN}"
        officer = actor_for(User.objects.get(email=f"officer@{local}"))
        validator = actor_for(User.objects.get(email=f"org-admin@{local}"))
        catalogue.group_id = group.pk if group and group.pk in officer.group_ids else None
        count = round(per_admin_per_year * years * VOLUME.get(admin, 1.0))
        there = Case.objects.filter(
            owner_id=officer.organisation_id, external_ref__startswith=f"DEMO-{admin}-"
        )
        if there.count() >= count:  # built before: skip generating it all again
            continue
        cases = generate_cases(admin, catalogue, count=count, end=end, days=days, seed=seed)
        wanted = {c.payload["external_ref"]: c.status for c in cases}
        made = []
        for submit in (False, True):
            datas = [
                CaseIn.model_validate(c.payload)
                for c in cases
                if (c.status == "draft") is not submit
            ]
            made += services.check_create_cases(officer, datas, submit=submit, skip_existing=True)[
                0
            ]
        _settle(officer, validator, made, wanted, random.Random(f"{seed}-{admin}-history"))
        created += len(made)
        if progress:
            progress(f"{admin}: {len(made)} demo cases")
    return created
