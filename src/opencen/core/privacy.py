"""Personal-data gate for free text (case summaries, goods descriptions, remarks).

The shared seizure database holds no personal data. Every free-text field passes through
:func:`find_personal_data` before it is stored; any finding means the text is refused and the
officer rephrases. The gate is deliberately conservative (it prefers a false alarm to a leak)
but must let through what enforcement texts are made of: nationalities, companies and brands
(including brands that look like people, "Hugo Boss"), vessels ("MSC Oscar"), places, airports
named after people, HS codes, container, IMO and flight numbers, quantities and seizure dates.

It is pure Python, built from validators that ship in packages (``phonenumbers``,
``python-stdnum``) and a compact names gazetteer in ``privacy_data/`` (see its README for the
sources and licences). No model, no network. See ``docs/privacy.md`` for the approach, the
limits and the measured figures.

Command line: ``python -m opencen.core.privacy [--lang fr] < text.txt`` prints one JSON object
per finding and exits 1 if there is any, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import phonenumbers
from stdnum import luhn
from stdnum.be import nn as be_nn
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.fr import nir as fr_nir
from stdnum.it import codicefiscale as it_cf
from stdnum.us import ssn as us_ssn

__all__ = ["KINDS", "REASONS", "Finding", "find_personal_data", "main"]

DATA_DIR = Path(__file__).resolve().parent / "privacy_data"

#: Reason shown to the officer for each kind (short English sentences, translatable).
REASONS: dict[str, str] = {
    "email": "looks like an e-mail address",
    "phone": "looks like a telephone number",
    "iban": "looks like an IBAN (bank account number)",
    "bank_account": "looks like a bank account number",
    "payment_card": "looks like a payment card number",
    "passport_number": "looks like a passport or travel document number",
    "id_number": "looks like an identity document or personal identification number",
    "mrz": "looks like the machine-readable zone of an identity document",
    "person_name": "looks like a person's name",
    "date_of_birth": "looks like a date of birth",
    "street_address": "looks like a street or postal address",
    "vehicle_plate": "looks like a vehicle registration plate",
}
KINDS: tuple[str, ...] = tuple(REASONS)

# When two findings overlap, the one whose kind comes first here wins.
_PRIORITY = {
    k: i
    for i, k in enumerate(
        (
            "mrz",
            "email",
            "iban",
            "payment_card",
            "passport_number",
            "id_number",
            "bank_account",
            "phone",
            "date_of_birth",
            "street_address",
            "vehicle_plate",
            "person_name",
        )
    )
}


@dataclass(frozen=True)
class Finding:
    """One piece of suspected personal data: ``text[start:end] == matched``."""

    kind: str
    start: int
    end: int
    text: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-serialisable dict (keys: kind, start, end, text, reason)."""
        return asdict(self)


# ---------------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------------


def _load(name: str) -> frozenset[str]:
    path = DATA_DIR / name
    with path.open(encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Given names, surnames, weak (common-word) names, places; loaded once, lazily."""
    places = _load("places.txt")
    return (
        _load("given_names.txt"),
        _load("surnames.txt"),
        _load("common_words.txt"),
        frozenset(p.casefold() for p in places),
    )


def _words(s: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in s.split())


#: Brands, labels and companies named after people, matched case-insensitively as phrases.
_BRANDS = [
    b.strip()
    for b in """
Ralph Lauren|Polo Ralph Lauren|Louis Vuitton|Hugo Boss|Tommy Hilfiger|Johnnie Walker|Johnny Walker
Jack Daniel's|Jack Daniels|Jack Daniel|Calvin Klein|Christian Dior|Yves Saint Laurent|Saint Laurent
Giorgio Armani|Emporio Armani|Pierre Cardin|Karl Lagerfeld|Michael Kors|Marc Jacobs|Tory Burch
Kate Spade|Stella McCartney|Vivienne Westwood|Paul Smith|Ted Baker|Jean Paul Gaultier|Coco Chanel
Estée Lauder|Estee Lauder|Tom Ford|Jimmy Choo|Christian Louboutin|Alexander McQueen|Thierry Mugler
Guy Laroche|Nina Ricci|Carolina Herrera|Paco Rabanne|Dolce & Gabbana|Dolce&Gabbana|Dolce Gabbana
Salvatore Ferragamo|Ben Sherman|Fred Perry|Jim Beam|Captain Morgan|Jack Wolfskin|Tommy Bahama
Kenneth Cole|Oscar de la Renta|Vera Wang|Philip Morris|Philipp Plein|Franck Muller|Frank Muller
Patek Philippe|Audemars Piguet|Richard Mille|Roger Dubuis|Jaeger-LeCoultre|Baume & Mercier
Tag Heuer|Jacob & Co|Harry Winston|Van Cleef & Arpels|Van Cleef|Alfred Dunhill|John Player
John Player Special|Benson & Hedges|Peter Stuyvesant|Davidoff|Ray-Ban|Ray Ban|Lacoste
John Deere|Jean Paul|Hennessy|Rémy Martin|Remy Martin|William Grant|William Lawson's
William Lawsons|Grant's|Jameson|Jose Cuervo|José Cuervo|Don Julio|Ballantine's|Chivas Regal
Glenn Miller|Tommy Jeans|Levi Strauss|Levi's|Adidas|Puma|Mr Price|Mr. Price|Mr Price Group
Mr Price Home|Mr Price Sport|Mrs Baird's|Dr. Martens|Dr Martens|Doc Martens|Dr. Oetker|Dr Oetker
Ferrari|Lamborghini|Mercedes-Benz|Mercedes|Ferragamo|Valentino|Giuseppe Zanotti|Roberto Cavalli
Elie Saab|Zuhair Murad|Issey Miyake|Kenzo|Bottega Veneta|Miu Miu|Dsquared2|Philippe Model
Moncler|Canada Goose|Ellesse|Sergio Tacchini|Fila|Le Coq Sportif|Tom Tailor|Marc O'Polo
Benetton|Max Mara|Anna Sui|Betsey Johnson|Steve Madden|Kurt Geiger|Charles & Keith
Charles Tyrwhitt|Thomas Sabo|Pandora|Swarovski|Marie Claire|Jean Patou|Jacques Dessange
Yves Rocher|Nicolas Feuillatte|Veuve Clicquot|Moët & Chandon|Moet & Chandon|Dom Pérignon
Dom Perignon|Taittinger|Laurent-Perrier|Jack & Jones|Tommy|Casio|Seiko|Citizen|Victoria's Secret
Victorias Secret|Lady Gaga|Walt Disney|Disney|Mickey Mouse|Hello Kitty|Harry Potter|Barbie
Marlboro|Winston|Camel|L&M|Gauloises|Gitanes|Rothmans|Dunhill|Pall Mall|Chesterfield
Lucky Strike|Kent|Monte Cristo|Montecristo|Cohiba|Romeo y Julieta|Hoyo de Monterrey
""".replace("\n", "|").split("|")
    if b.strip()
]
#: Brands that are also plain person designations: they pass only with a brand or shop context.
_AMBIGUOUS_BRANDS = frozenset({"mr price", "mr. price"})

#: Words that make a capitalised phrase a company rather than a person (when right after it).
#: Short legal forms are matched case-sensitively ("SA" is a company, "sa" is French for "her").
_COMPANY_FORMS = frozenset(
    [
        "Ltd", "Ltd.", "LTD", "Limited", "LIMITED", "LLC", "Inc", "Inc.", "INC", "Corp", "Corp.",
        "Co", "Co.", "CO", "GmbH", "GMBH", "AG", "SA", "S.A.", "SAS", "SARL", "SNC", "BV", "B.V.",
        "NV", "N.V.", "SpA", "S.p.A.", "SPA", "PLC", "plc", "Pty", "Pte", "Sdn", "Bhd", "SRL",
        "Srl", "S.r.l.", "KG", "Oy", "AB", "AS", "A/S", "Lda", "Ltda", "LLP", "LP", "SE", "EURL",
        "SASU", "SCI", "GIE",
    ]
)
_COMPANY_SUFFIX = _words(
    """limited company group groupe holdings holding trading logistics logistique import export
    imports exports enterprises enterprise industries industrie international intl shipping
    freight forwarding transport transports sons partners associates foundation fondation bank
    banque airlines airways lines maritime express couriers services stores store shop shops
    outlets boutique boutiques brothers frères corporation & cie"""
)
#: Product nouns: "Michael Kors handbags" is a brand, not a person.
_PRODUCT_WORDS = _words(
    """branded brand label labels logo logos products product goods items articles handbags
    handbag bags bag purses wallets wallet belts belt watches watch perfume perfumes fragrance
    fragrances eau cologne clothing clothes apparel garments shirts shirt t-shirts polo polos
    jeans jackets jacket caps hats sneakers trainers shoes boots sandals sunglasses glasses
    eyewear jewellery jewelry rings bracelets necklaces whisky whiskey bourbon scotch vodka
    rum gin tequila champagne cognac wine spirits bottles bottle cigarettes cigarette cigars
    cigar tobacco packs cartons sticks toys toy dolls figurines cosmetics lipstick make-up
    makeup chargers phones accessories parts spare tractors mowers sacs sac montres montre parfum
    parfums vêtements chaussures baskets bouteilles bouteille ceintures lunettes jouets
    articles cartouches paquets marque contrefaçons contrefaits copies replicas fakes style
    -branded tablets pills"""
)
#: Words up to three positions before a capitalised phrase that make it a brand.
_BRAND_LEFT = _words(
    """counterfeit counterfeited fake fakes imitation imitations replica replicas knock-off
    knockoff branded brand brands bearing logo logos trademark trademarks labelled labeled
    genuine authentic infringing right-holder rightholder licensed contrefaçon contrefaçons
    contrefaisant contrefaisants contrefaits contrefaites imitant marque marques griffé griffés
    griffée griffées portant estampillés estampillé"""
)
#: Words right before a capitalised phrase that make it a vessel, place, shop or company.
_NON_PERSON_PREV = _words(
    """vessel vessels ship ships mv m/v mt m/t ms boat tanker carrier reefer trawler yacht
    aboard navire navires bateau cargo vraquier chalutier porte-conteneurs pétrolier bord
    airport aéroport aeroport hub port harbour harbor quay quai street avenue road
    boulevard rue allée impasse place square bridge pont station gare hospital hôpital
    university université school école lycée stadium stade hotel hôtel restaurant bar
    retailer retailers chain enseigne store stores shop magasin supermarket supermarché
    company société firm entreprise manufacturer fabricant distributor distributeur
    forwarder transitaire transporteur airline compagnie operator opérateur consolidator
    operation opération"""
)
#: Role nouns after which a capitalised phrase is taken as a person's name.
_ROLE_WORDS = _words(
    """passenger passengers driver drivers traveller traveler travellers travelers courier
    couriers mule mules consignee consignor sender recipient addressee suspect suspects
    defendant accused offender offenders smuggler smugglers owner captain skipper pilot crew
    crewman crewmember seafarer hostess steward stewardess woman man girl boy person individual
    citizen national nationals resident holder husband wife brother sister son daughter father
    mother cousin uncle aunt accomplice associate partner employee director manager
    shareholder buyer seller customer client tenant landlord
    passager passagère passagers conducteur conductrice chauffeur chauffeuse voyageur voyageuse
    voyageurs destinataire expéditeur expéditrice suspecte suspects prévenu prévenue mis
    contrevenant contrevenante contrevenants propriétaire capitaine matelot marin équipage
    ressortissant ressortissante ressortissants individu individus homme femme fille garçon
    citoyen citoyenne résident résidente titulaire époux épouse mari frère sœur soeur fils
    père mère complice associé associée gérant gérante dirigeant dirigeante acheteur vendeur
    client cliente locataire convoyeur convoyeuse transporteur passeur passeuse"""
)
#: Words directly before a phrase that is then taken as a name (even if unknown to the lists).
_NAMING_CUES = re.compile(
    r"(?:\b(?:named|called|surnamed|identified\s+as|known(?:\s+\w+)?\s+as|going\s+by|alias"
    r"|a\.?k\.?a\.?"
    r"|a\s+certain|one|nommée?s?|dénommée?s?|prénommée?s?|surnommée?s?|identifiée?s?\s+comme"
    r"|connue?s?\s+sous\s+le\s+nom\s+de|du\s+nom\s+de|au\s+nom\s+de|se\s+faisant\s+appeler"
    r"|dite?|alias|un\s+certain|une\s+certaine|le\s+sieur|la\s+dame|in\s+the\s+name\s+of"
    r"|addressed\s+to|adressée?s?\s+à|consigned\s+to|signed\s+by|signée?\s+par"
    r"|registered\s+(?:to|in\s+the\s+name\s+of)|owned\s+by|appartenant\s+à|rented\s+by"
    r"|louée?\s+par|driven\s+by|conduite?\s+par|accompanied\s+by|accompagnée?\s+de"
    r"|(?:full\s+)?name|surname|first\s+name|given\s+name|nom|prénom|nom\s+de\s+famille)"
    r"\s*[:,]?\s*)$",
    re.IGNORECASE,
)
#: Titles: the capitalised words after them are a name.
_TITLES = frozenset(
    [
        "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Mx", "Mx.", "Dr", "Dr.", "M.", "Mme",
        "Mme.", "Mlle", "Mlle.", "Mmes", "Messrs", "Messrs.", "MM.", "Monsieur", "Madame",
        "Mademoiselle", "Sir", "Dame", "Lady", "Lord", "Herr", "Frau", "Señor", "Señora", "Sr.",
        "Sra.", "Srta.", "Sig.", "Signor", "Signora", "Me", "Maître", "Docteur", "Prof.",
        "Professor", "Professeur", "Sheikh", "Cheikh", "Alhaji", "Alhaja", "Chief", "Hon.", "Rev.",
        "Pastor", "Imam",
    ]
)
_PARTICLES = frozenset(
    [
        "de", "du", "des", "da", "das", "do", "dos", "di", "del", "della", "der", "den", "van",
        "von", "ter", "ten", "bin", "ibn", "ben", "bint", "al", "el", "la", "le", "y", "e", "d'",
        "l'", "mac",
    ]
)
#: Capitalised words that never start or continue a person's name.
_STOP_CAPS = _words(
    """The A An This That These Those His Her Their Our My Its On In At Of For From To By With
    And Or But If When While After Before During Upon Following According Customs Douane Douanes
    Police Gendarmerie Border Guard Officers Officer Agents Agent Service Services Unit Brigade
    Airport Aéroport Port Harbour Terminal Station Gare Street Road Avenue Rue Boulevard
    International National Federal Republic République Kingdom Royaume United Unis États Etats
    State States Ministry Ministère Department Direction Office Bureau Court Tribunal
    Prosecutor Parquet Judge Juge North South East West Nord Sud Est Ouest Central Centre
    Grand Great Greater New Nouveau Nouvelle Old Saint Sainte St Ste San Santa São Mount Mont
    Lake Lac River Bay Cape Cap Gulf Golfe Sea Mer Ocean Island Islands Île Îles Coast Côte
    Province Region Région District County Département Valley City Ville Town Village Market
    Marché Mall Centre Center Hospital Hôtel Hotel Bank Banque University Université College
    School Group Groupe Company Société Ltd Inc Express Cargo Freight Logistics Shipping Line
    Lines Maersk MSC CMA CGM COSCO Hapag-Lloyd Evergreen Ever HMM ONE ZIM APL Yang Ming Wan Hai
    DHL UPS FedEx TNT EMS Chronopost Colissimo Aramex Airlines Airways Air Flight Vol Vessel
    Navire Container Conteneur Seizure Saisie HS SH CITES Appendix Annexe Annex I II III IV
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Lundi Mardi Mercredi Jeudi
    Vendredi Samedi Dimanche January February March April May June July August September
    October November December Janvier Février Mars Avril Mai Juin Juillet Août Septembre
    Octobre Novembre Décembre Total Approximately Around About Some Several Two Three Four
    Five Six Seven Eight Nine Ten Un Une Le La Les Des Du Ce Cette Ces Son Sa Ses Leur Leurs
    Dans Sur Sous Avec Pour Par Lors Après Avant Selon Durant Pendant Suite Au Aux Et Ou Mais
    Mr Mrs Ms Dr Mme Mlle Monsieur Madame Mademoiselle Sir Lady Total Quantity Value Weight
    Report Reports Case Cases Intelligence Risk Profile Scanner X-ray Dog Canine Team
    Operation Opération Joint Task Force Europe Africa Asia America Americas Afrique Asie
    Amérique European Union Union Européenne EU UE WCO OMD RILO UNODC Interpol Europol OLAF
    Frontex HMRC CBP DGDDI SARS KRA GRA NCS ANTI-FRAUD Anti-Fraud Postal Post Office Poste La
    Gold Silver Black White Red Blue Green Label Reserve Original Classic Premium Edition
    Whisky Whiskey Bourbon Vodka Gin Rum Tequila Champagne Cognac Brandy Liqueur Beer Wine
    Cigarettes Cigars Tobacco Convention Agreement Treaty Protocol Act Law Regulation
    Directive Code Decree Décret Loi Règlement Accord Programme Program Project Projet""",
)
_NATIONALITIES = _words(
    """Afghan Albanian Algerian American Angolan Argentine Argentinian Armenian Australian
    Austrian Azerbaijani Bangladeshi Belarusian Belgian Beninese Bolivian Bosnian Brazilian
    British Bulgarian Burkinabe Burmese Burundian Cambodian Cameroonian Canadian Chadian
    Chilean Chinese Colombian Congolese Croatian Cuban Cypriot Czech Danish Dominican Dutch
    Ecuadorian Egyptian Emirati English Eritrean Estonian Ethiopian Filipino Finnish French
    Gabonese Gambian Georgian German Ghanaian Greek Guatemalan Guinean Haitian Honduran
    Hungarian Icelandic Indian Indonesian Iranian Iraqi Irish Israeli Italian Ivorian
    Jamaican Japanese Jordanian Kazakh Kenyan Korean Kosovar Kuwaiti Kyrgyz Lao Latvian
    Lebanese Liberian Libyan Lithuanian Luxembourgish Macedonian Malagasy Malawian Malaysian
    Malian Maltese Mauritanian Mauritian Mexican Moldovan Mongolian Montenegrin Moroccan
    Mozambican Namibian Nepalese Nigerian Nigerien Norwegian Pakistani Palestinian Panamanian
    Paraguayan Peruvian Polish Portuguese Qatari Romanian Russian Rwandan Saudi Scottish
    Senegalese Serbian Sierra Leonean Singaporean Slovak Slovenian Somali South African
    Spanish Sri Lankan Sudanese Surinamese Swedish Swiss Syrian Taiwanese Tajik Tanzanian Thai
    Togolese Tunisian Turkish Turkmen Ugandan Ukrainian Uruguayan Uzbek Venezuelan Vietnamese
    Welsh Yemeni Zambian Zimbabwean
    afghan albanais algérien algérienne allemand allemande américain américaine angolais
    argentin belge béninois béninoise brésilien brésilienne britannique bulgare burkinabé
    camerounais camerounaise canadien canadienne chinois chinoise colombien colombienne
    congolais congolaise ivoirien ivoirienne égyptien égyptienne espagnol espagnole
    français française gabonais gabonaise ghanéen ghanéenne grec grecque guinéen guinéenne
    haïtien haïtienne indien indienne italien italienne libanais libanaise malien malienne
    marocain marocaine mauritanien mauritanienne mexicain mexicaine néerlandais nigérian
    nigériane nigérien nigérienne pakistanais pakistanaise péruvien polonais polonaise
    portugais portugaise roumain roumaine russe sénégalais sénégalaise suisse syrien
    syrienne tchadien tchadienne togolais togolaise tunisien tunisienne turc turque
    ukrainien ukrainienne vénézuélien vietnamien vietnamienne""",
)
_VESSEL_LEFT = re.compile(
    r"(?:\b(?:vessel|ship|m/?v|m/?t|mv|ms|navire|bateau|cargo|vraquier|chalutier|tanker"
    r"|porte-conteneurs|aboard|on\s+board|à\s+bord\s+du|yacht|reefer|feeder|boat)\b"
    r"[\s\"'“«]*)$",
    re.IGNORECASE,
)
_SHIPPING_TOKENS = frozenset(
    {"MSC", "CMA", "CGM", "Maersk", "MAERSK", "COSCO", "Cosco", "Ever", "EVER", "HMM", "ONE",
     "APL", "ZIM", "Hapag-Lloyd", "Evergreen", "OOCL", "Grimaldi", "Grande", "Hamburg", "Süd"}
)
_PLACE_LEFT = re.compile(
    r"(?:\b(?:airport|aéroport|aeroport|aérogare|rue|avenue|av\.|boulevard|bd|allée|place|quai"
    r"|cours|impasse|chemin|route|pont|bridge|lycée|école|hôpital|hospital|stade|stadium"
    r"|université|university|gare|station|port|terminal|street|road|square)"
    r"(?:\s+(?:international|internationale|de|du|des|d'|d\u2019|of|the))*\s*)$",
    re.IGNORECASE,
)
_PLACE_RIGHT = re.compile(
    r"^\s*(?:-\s*)?(?:International|Intl|Airport|Aéroport|Airfield|Terminal|Port|Harbour"
    r"|Street|Road|Avenue|Boulevard|Bridge|Square|Stadium|Hospital|University|College"
    r"|School|Station|Falls|Lake|Island|Bay|County|City|Town)\b"
)
_UPPER_ACRONYMS = frozenset(
    [
        "MSC", "CMA", "CGM", "COSCO", "HMM", "ONE", "APL", "ZIM", "OOCL", "DHL", "UPS", "TNT",
        "EMS", "HS", "SH", "IMO", "CITES", "USD", "EUR", "GBP", "XOF", "XAF", "CFA", "CHF", "CAD",
        "AUD", "JPY", "CNY", "AED", "NGN", "GHS", "KES", "ZAR", "MAD", "TND", "DZD", "UN", "EU",
        "UE", "WCO", "OMD", "RILO", "UNODC", "OLAF", "HMRC", "CBP", "DGDDI", "SARS", "KRA", "GRA",
        "NCS", "DEA", "FBI", "AFP", "ID", "NIN", "SSN", "DOB", "VAT", "TVA", "CIF", "FOB", "DAP",
        "DDP", "ETA", "ETD", "AWB", "BL", "BOL", "MAWB", "HAWB", "LCL", "FCL", "TEU", "TEUS", "GPS",
        "RFID", "CCTV", "NCP", "CEN", "NCEN", "GMT", "UTC", "PDF", "JPEG", "USB", "CBD", "THC",
        "LSD", "MDMA", "GHB", "LTD", "LLC", "SA", "SARL", "SAS", "GMBH", "PLC", "INC", "BV", "NV",
        "SPA", "PJSC", "OJSC", "JSC", "AG", "AB", "OY", "KG", "CDG", "JFK", "LHR", "ORY", "AMS",
        "FRA", "LOS", "ACC", "ABJ", "DKR", "NBO", "ADD", "DXB", "IST", "DOH", "CMN", "TUN", "ALG",
        "BRU", "MRS", "LYS", "NCE", "RPG", "AK", "AKM", "NATO", "ONU", "DRC", "RDC", "USA", "UK",
        "UAE", "RSA", "PRC",
    ]
)

_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*(?:['\u2019]s)?\.?")


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int  # end of the word without a trailing dot
    word: str
    dot: bool


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        w = m.group()
        dot = w.endswith(".")
        if dot:
            w = w[:-1]
        out.append(_Tok(m.start(), m.start() + len(w), w, dot))
    return out


def _norm(word: str) -> str:
    w = re.sub(r"['\u2019]s$", "", word)
    if w.isupper() and len(w) > 1:
        w = "-".join(p.capitalize() for p in w.split("-"))
    return w


#: Endings that mark a surname in many languages (Slavic, Romanian, Greek, Turkish, Georgian,
#: Armenian...), so that unknown surnames still count as name evidence.
_SURNAME_SHAPE = re.compile(
    r"(?:enko|chuk|czuk|yuk|ovich|evich|ović|ević|vić|ić|ski|ska|sky|skyi|skiy|cki|cka|wicz"
    r"|escu|eanu|poulos|opoulos|akis|idis|iadis|oglu|oğlu|yan|ian|dze|shvili|ssen|sson|berg"
    r"|stein|mann|ez|ov|ova|ev|eva|in[ae]?|ovs|iou)$"
)


class _Lex:
    """Lookups on the gazetteer for one token."""

    def __init__(self) -> None:
        self.given, self.family, self.common, self.places = _gazetteer()

    def is_given(self, w: str) -> bool:
        n = _norm(w)
        if n in self.given:
            return True
        parts = n.split("-")
        return len(parts) > 1 and all(p in self.given for p in parts if p)

    def is_family(self, w: str) -> bool:
        n = _norm(w)
        if n in self.family or (len(n) > 4 and _SURNAME_SHAPE.search(n)):
            return True
        parts = [p for p in re.split(r"[-'\u2019]", n) if p]
        if len(parts) > 1:
            return any(p in self.family or p in self.given for p in parts[1:])
        return False

    def is_common(self, w: str) -> bool:
        n = _norm(w)
        return n in self.common or n.casefold() in _STOP_CAPS or n.casefold() in _NATIONALITIES

    def is_stop(self, w: str) -> bool:
        n = _norm(w)
        return (
            n.casefold() in _STOP_CAPS
            or n.casefold() in _NATIONALITIES
            or n.casefold() in self.places
            or w in _UPPER_ACRONYMS
        )

    def strong_given(self, w: str) -> bool:
        return self.is_given(w) and len(_norm(w)) > 2 and not self.is_common(w)

    def name_score(self, w: str) -> int:
        """2: clearly a name part, 1: possibly, 0: not a name part."""
        if self.is_stop(w) or w in _MAKES:
            return 0
        known = self.is_given(w) or self.is_family(w)
        if known and not self.is_common(w):
            return 2
        if w.isupper() and len(w) > 2 and w not in _UPPER_ACRONYMS:
            if not re.search(r"[AEIOUYÀ-ÖØ-Ý]", w):  # "TGX", "KGS": codes, not names
                return 0
            return 2 if not self.is_common(w) else 1
        if known:
            return 1
        return 1  # unknown capitalised word: a foreign surname as often as anything


def _is_cap(tok: _Tok) -> bool:
    return tok.word[:1].isupper()


def _gap_ok(text: str, a: _Tok, b: _Tok) -> bool:
    gap = text[a.end : b.start]
    if a.dot:
        return gap in (". ", ".", ".\u00a0") and len(a.word) <= 2
    return gap in (" ", "\u00a0", "  ")


def _runs(text: str, toks: Sequence[_Tok]) -> Iterator[list[int]]:
    """Yield maximal runs of capitalised tokens (indices), allowing name particles inside."""
    run: list[int] = []
    for i, t in enumerate(toks):
        if run and not _gap_ok(text, toks[run[-1]], t):
            yield from _trim(run, toks)
            run = []
        if _is_cap(t) or (run and t.word.lower() in _PARTICLES):
            run.append(i)
        else:
            yield from _trim(run, toks)
            run = []
    yield from _trim(run, toks)


def _trim(run: list[int], toks: Sequence[_Tok]) -> Iterator[list[int]]:
    while run and not _is_cap(toks[run[-1]]):
        run = run[:-1]
    if run:
        yield run


def _left_words(text: str, start: int, n: int = 4) -> list[str]:
    left = text[max(0, start - 60) : start]
    return [w.casefold() for w in re.findall(r"[\w/'\u2019&.-]+", left)][-n:]


def _right_word(text: str, end: int) -> str:
    m = re.match(r"[\s\"'\u2019”»)]*(-?[\w/&.'-]+)", text[end : end + 40])
    return m.group(1).casefold().rstrip(".") if m else ""


@lru_cache(maxsize=1)
def _phrase_index() -> dict[str, list[tuple[str, bool]]]:
    """Brand and place phrases (lower case), indexed by their first word; True for brands."""
    index: dict[str, list[tuple[str, bool]]] = {}
    places = [p for p in _load("places.txt") if " " in p or "-" in p]
    for phrase, brand in [(b, True) for b in _BRANDS] + [(p, False) for p in places]:
        low = phrase.lower()
        first = re.split(r"[\s\-'\u2019.&]", low, maxsplit=1)[0]
        index.setdefault(first, []).append((low, brand))
    for entries in index.values():
        entries.sort(key=lambda e: len(e[0]), reverse=True)
    return index


_BRAND_CONTEXT = re.compile(
    r"(?:retailer|store|stores|shop|shops|chain|brand|branded|enseigne|magasin|magasins|marque"
    r"|outlet|outlets|group|home|sport|labels?|logo|bags|carrier\s+bags|clothing|products)",
    re.IGNORECASE,
)


def _safe_spans(text: str, toks: Sequence[_Tok]) -> list[tuple[int, int]]:
    """Spans that are brands or places: no person name may overlap them."""
    spans: list[tuple[int, int]] = []
    index = _phrase_index()
    low_text = text.lower()
    if len(low_text) != len(text):  # rare characters whose lower case changes length
        low_text = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for tok in toks:
        starts = [tok.start] + [tok.start + i + 1 for i, c in enumerate(tok.word) if c == "-"]
        for start in starts:
            first = re.split(r"[\-'\u2019.]", low_text[start : tok.end], maxsplit=1)[0]
            for phrase, brand in index.get(first, ()):
                end = start + len(phrase)
                if low_text[start:end] != phrase or (end < len(text) and text[end].isalnum()):
                    continue
                if brand and phrase in _AMBIGUOUS_BRANDS and not _brand_context(text, start, end):
                    continue
                spans.append((start, end))
                break
    return spans


def _brand_context(text: str, start: int, end: int) -> bool:
    left = text[max(0, start - 30) : start]
    right = text[end : end + 30]
    return bool(
        _BRAND_CONTEXT.search(left.split(".")[-1])
        or re.match(r"^[\s'\u2019-]*(?:s\b|" + _BRAND_CONTEXT.pattern + ")", right, re.I)
    )


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _find_names(text: str) -> list[Finding]:
    toks = _tokens(text)
    if not toks:
        return []
    lex = _Lex()
    safe = _safe_spans(text, toks)
    found: list[tuple[int, int]] = []

    def accept(i: int, j: int, *, strong_cue: bool) -> None:
        s, e = toks[i].start, toks[j - 1].end
        if toks[j - 1].dot and len(toks[j - 1].word) == 1:
            e += 1
        if _overlaps((s, e), safe):
            return
        rw = _right_word(text, e)
        raw_right = text[e : e + 12].lstrip(" ,")
        if rw in _COMPANY_SUFFIX or raw_right.split(" ")[0].rstrip(",;:") in _COMPANY_FORMS:
            return
        if not strong_cue:
            if _right_word(text, e) in _PRODUCT_WORDS:
                return
            left = _left_words(text, s, 3)
            if any(w in _BRAND_LEFT for w in left) or (left and left[-1] in _NON_PERSON_PREV):
                return
            if _VESSEL_LEFT.search(text[max(0, s - 40) : s]):
                return
        if _PLACE_LEFT.search(text[max(0, s - 40) : s]) or _PLACE_RIGHT.match(text[e : e + 30]):
            return
        if any(toks[k].word in _SHIPPING_TOKENS for k in range(max(0, i - 2), j)):
            return
        found.append((s, e))

    for run in _runs(text, toks):
        k = 0
        while k < len(run):
            i = run[k]
            tok = toks[i]
            before = text[max(0, tok.start - 60) : tok.start]
            # 1. a title right before the run: "Mr Smith", "Mme DUPONT", "M. Jean Martin"
            title_cue = tok.word in _TITLES or ((tok.word + ".") in _TITLES and tok.dot)
            if title_cue and k + 1 < len(run):
                end = _extend(run, k + 1, toks, lex, max_len=4)
                if end > k + 1:
                    accept(i, run[end - 1] + 1, strong_cue=True)
                    k = end
                    continue
            # 2. a naming cue or role noun right before: "named Ali Kaya", "the driver, Ali Kaya"
            cue = bool(_NAMING_CUES.search(before)) or _role_before(text, tok.start)
            if cue:
                end = _extend(run, k, toks, lex, max_len=4)
                n = end - k
                if n >= 2 or (
                    n == 1 and (lex.is_given(tok.word) or lex.is_family(tok.word)
                                or (tok.word.isupper() and len(tok.word) > 2))
                    and not lex.is_stop(tok.word)
                ):
                    accept(i, run[end - 1] + 1, strong_cue=True)
                    k = end
                    continue
            # 3. gazetteer: given name + surname, SURNAME Given, Surname Given
            end = _extend(run, k, toks, lex, max_len=4)
            if end - k >= 2 and _looks_like_name([toks[run[x]].word for x in range(k, end)], lex):
                accept(i, run[end - 1] + 1, strong_cue=False)
                k = end
                continue
            k += 1
    return [
        Finding("person_name", s, e, text[s:e], REASONS["person_name"]) for s, e in found
    ]


def _extend(run: list[int], k: int, toks: Sequence[_Tok], lex: _Lex, max_len: int) -> int:
    """Index (in run) after the longest name-like stretch starting at run[k]."""
    end = k
    count = 0
    while end < len(run) and count < max_len:
        w = toks[run[end]].word
        if w.lower() in _PARTICLES and not w[:1].isupper():
            if end + 1 < len(run):
                end += 1
                continue
            break
        if lex.is_stop(w) or w in _TITLES:
            break
        end += 1
        count += 1
    while end > k and toks[run[end - 1]].word.lower() in _PARTICLES:
        end -= 1
    return end


def _looks_like_name(words: list[str], lex: _Lex) -> bool:
    first, last = words[0], words[-1]
    if lex.strong_given(first):
        return lex.name_score(last) >= 1 and (
            lex.is_family(last) or lex.is_given(last) or not lex.is_common(last)
        )
    if lex.is_given(first) and len(_norm(first)) > 1:  # weak given name ("Mark", "Rose")
        rest = words[1:]
        return lex.name_score(last) >= 1 and any(
            lex.name_score(w) == 2 and (lex.is_family(w) or lex.is_given(w))
            for w in rest
        )
    if first.isupper() and len(first) > 2 and first not in _UPPER_ACRONYMS:
        # "DIALLO Mamadou", "KONE Ibrahim Aziz"
        return any(lex.strong_given(w) for w in words[1:]) and not lex.is_common(first)
    if lex.is_family(first) and not lex.is_common(first) and len(words) == 2:
        return lex.strong_given(last) and last.isupper() is False and not lex.is_stop(first)
    return False


def _role_before(text: str, start: int) -> bool:
    """True if a role noun ("passenger", "le conducteur") closes the text before ``start``."""
    left = text[max(0, start - 50) : start]
    words = re.findall(r"[\w\u2019'-]+|[,:(]", left)
    if not words:
        return False
    # allow: role [nationality|adjective] [,|:] Name
    idx = len(words) - 1
    if words[idx] in (",", ":", "("):
        idx -= 1
    for _ in range(2):
        if idx < 0:
            return False
        if words[idx].isupper() and len(words[idx]) > 1:  # "MAN TGX" is a truck model
            return False
        w = words[idx].casefold()
        if w in _ROLE_WORDS:
            return True
        if w in _NATIONALITIES or w in {"female", "male", "young", "elderly", "suspected",
                                         "alleged", "presumed", "présumé", "présumée",
                                         "jeune", "dénommé", "second", "first", "third",
                                         "other", "autre"}:
            idx -= 1
            continue
        return False
    return False


# ---------------------------------------------------------------------------------------------
# Structured identifiers
# ---------------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+'-]+(?:@|\s?\[at\]\s?|\s?\(at\)\s?)[\w-]+(?:(?:\.|\s?\[dot\]\s?)[\w-]+)*"
    r"(?:\.|\s?\[dot\]\s?)[A-Za-z]{2,24}(?![\w])",
)
_MRZ_RE = re.compile(r"(?<![A-Z0-9<])[A-Z0-9<]{25,46}(?![A-Z0-9<])")
_IBAN_RE = re.compile(
    r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:[ \u00a0-]?[A-Z0-9]){10,32})(?![A-Za-z0-9])"
)
_IBAN_LEN = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BJ": 28, "BR": 29, "BY": 28, "CH": 21, "CI": 28, "CM": 27, "CR": 22, "CY": 28,
    "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "DZ": 26, "EE": 20, "EG": 29, "ES": 24,
    "FI": 18, "FO": 18, "FR": 27, "GA": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
    "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30,
    "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
    "MA": 28, "MC": 27, "MD": 24, "ME": 22, "MG": 27, "MK": 19, "ML": 28, "MR": 27, "MT": 31,
    "MU": 30, "NE": 28, "NI": 28, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25,
    "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "SN": 28, "ST": 25, "SV": 28, "TD": 27, "TG": 28, "TL": 23, "TN": 24, "TR": 26,
    "UA": 29, "VA": 22, "VG": 24, "XK": 20, "CG": 27, "CV": 25, "BF": 28, "AO": 25, "IR": 26,
    "MZ": 25, "GQ": 27, "GW": 25, "KM": 27, "HN": 28, "MN": 20, "NG": 14, "OM": 23, "RU": 33,
    "SO": 23, "YE": 30,
}
_IBAN_CUE = re.compile(r"\b(?:IBAN|RIB|BIC|SWIFT|compte|account|virement|transfer|wire)\b", re.I)


def _iban_ok(compact: str) -> bool:
    if len(compact) < 14 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    expected = _IBAN_LEN.get(compact[:2])
    if expected is not None and expected != len(compact):
        return False
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


def _find_ibans(text: str) -> list[Finding]:
    out: list[Finding] = []
    for m in _IBAN_RE.finditer(text):
        raw = m.group(1)
        # try the whole match, then shorter prefixes (it may have swallowed a following code)
        pieces = list(re.finditer(r"[A-Z0-9]+", raw))
        hit: tuple[int, int] | None = None
        for n in range(len(pieces), 0, -1):
            end = pieces[n - 1].end()
            compact = re.sub(r"[\s\u00a0-]", "", raw[:end])
            if _iban_ok(compact):
                hit = (m.start(1), m.start(1) + end)
                break
        if hit is None:
            cue = _IBAN_CUE.search(text[max(0, m.start() - 40) : m.start()])
            compact = re.sub(r"[\s\u00a0-]", "", raw)
            if cue and 14 <= len(compact) <= 34 and sum(c.isdigit() for c in compact) >= 10:
                hit = (m.start(1), m.end(1))
        if hit:
            out.append(Finding("iban", hit[0], hit[1], text[hit[0] : hit[1]], REASONS["iban"]))
    return out


def _find_mrz(text: str) -> list[Finding]:
    out: list[Finding] = []
    for m in _MRZ_RE.finditer(text):
        s = m.group()
        digits = sum(c.isdigit() for c in s)
        doc_start = re.match(r"^[PIACV][A-Z<][A-Z]{3}", s) is not None
        if "<<" in s or ("<" in s and (digits >= 5 or doc_start)):
            out.append(Finding("mrz", m.start(), m.end(), s, REASONS["mrz"]))
    return out


def _find_emails(text: str) -> list[Finding]:
    out: list[Finding] = []
    for m in _EMAIL_RE.finditer(text):
        s = m.group()
        if "@" not in s and not re.search(r"\[at\]|\(at\)", s):
            continue
        out.append(Finding("email", m.start(), m.end(), s, REASONS["email"]))
    return out


_CARD_RE = re.compile(r"(?<![\w.,/-])(?:\d[ -]?){12,18}\d(?![\w/-]|[.,]\d)")


_CARD_CUE = re.compile(
    r"\b(?:card|carte(?:\s+bancaire)?|CB|visa|mastercard|amex|debit|credit|crédit)\b[^.;\n]{0,25}$",
    re.IGNORECASE,
)


def _find_cards(text: str) -> list[Finding]:
    out: list[Finding] = []
    for m in _CARD_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if not 13 <= len(digits) <= 19:
            continue
        if _CARD_CUE.search(text[max(0, m.start() - 40) : m.start()]):
            out.append(
                Finding("payment_card", m.start(), m.end(), m.group(), REASONS["payment_card"])
            )
            continue
        if not re.match(r"^(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5))", digits):
            continue
        if luhn.is_valid(digits):
            out.append(
                Finding("payment_card", m.start(), m.end(), m.group(), REASONS["payment_card"])
            )
    return out


# Document numbers after a label ("passport no. 12AB34567", "carte d'identité n° ...").
_DOC_PATTERN = r"(?<![\w-])((?=[A-Z0-9 -]*\d)[A-Z0-9](?:[A-Z0-9]|[ -](?=[A-Z0-9])){4,19})(?![\w-])"
_PASSPORT_CUE = re.compile(
    r"\b(?:passports?|passeports?|travel\s+documents?|documents?\s+de\s+voyage|laissez-passer"
    r"|visas?|seaman'?s\s+book|livret\s+de\s+marin)\b",
    re.IGNORECASE,
)
_ID_CUE = re.compile(
    r"\b(?:id(?:entity)?\s+cards?|identity\s+(?:document|number)|national\s+id(?:entity)?"
    r"(?:\s+(?:card|number))?|national\s+identification\s+number|id\s+(?:number|no\.?|n°)"
    r"|carte\s+(?:nationale\s+)?d['\u2019]identité|CNI|NIN|SSN|social\s+security(?:\s+number)?"
    r"|s[ée]curit[ée]\s+sociale|NIR|insurance\s+number|NINO|driv(?:ing|er['\u2019]?s)\s+licen[cs]e"
    r"|permis\s+de\s+conduire|residence\s+(?:permit|card)|titre\s+de\s+s[ée]jour"
    r"|carte\s+de\s+s[ée]jour|permis\s+de\s+s[ée]jour|tax\s+(?:identification\s+)?number"
    r"|TIN|NIF|NIE|DNI|PESEL|BSN|codice\s+fiscale|Aadhaar|CURP|CPF|Ghana\s+card"
    r"|voter['\u2019]?s?\s+card|carte\s+d['\u2019][ée]lecteur|personal\s+(?:identity\s+)?number"
    r"|identifiant\s+personnel|num[ée]ro\s+d['\u2019]identification|consular\s+card"
    r"|carte\s+consulaire|refugee\s+card|asylum\s+card)\b",
    re.IGNORECASE,
)
_BANK_CUE = re.compile(
    r"\b(?:(?:bank\s+)?account(?:\s+(?:number|no\.?|n°|#))?|acct\.?|a/c|compte(?:\s+bancaire)?"
    r"(?:\s+(?:n°|no\.?|numéro))?|RIB|sort\s+code|routing\s+number|ABA|BSB|CLABE"
    r"|mobile\s+money\s+account|M-?Pesa\s+account|wallet\s+number)\b",
    re.IGNORECASE,
)
_PHONE_CUE = re.compile(
    r"\b(?:tel|tél|phone|telephone|téléphone|mobile|cell(?:phone)?|gsm|portable|whatsapp"
    r"|telegram|signal|viber|wechat|contact(?:\s+number)?|numéro|number|fax|call(?:ed)?"
    r"|appel(?:é|ait)?|sms|joignable|line)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=16)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_CUT_RE = re.compile(r"(?<![Nn][Oo])(?<![Nn][Rr])(?<!\b[A-Z])[.;](?:\s|$)|\n")


def _after_cue(
    text: str, cue: re.Pattern[str], token: str, window: int
) -> Iterator[tuple[int, int, str]]:
    tok_re = _compiled(token)
    for c in cue.finditer(text):
        seg_end = min(len(text), c.end() + window)
        seg = text[c.end() : seg_end]
        cut = _CUT_RE.search(seg)
        if cut:
            seg = seg[: cut.start()]
        for m in tok_re.finditer(seg):
            s = c.end() + m.start(1)
            yield s, c.end() + m.end(1), m.group(1)


_NOT_DOC = re.compile(
    r"^(?:IMO|HS|MMSI|CN|SH|ISO|UN|EUR|USD|\d{4}|\d{1,2}[ -]\d{1,2}[ -]\d{2,4}"
    r"|[A-Z]{3}[UJZ]\d{7}|(?:19|20)\d{2}(?:-\d{2}(?:-\d{2})?)?)$"
)


def _find_documents(text: str) -> list[Finding]:
    out: list[Finding] = []
    for s, e, tok in _after_cue(text, _PASSPORT_CUE, _DOC_PATTERN, 60):
        tok_c = tok.strip()
        if _NOT_DOC.match(tok_c) or sum(c.isdigit() for c in tok_c) < 3:
            continue
        if len(re.sub(r"[ -]", "", tok_c)) < 6:
            continue
        out.append(Finding("passport_number", s, e, text[s:e], REASONS["passport_number"]))
    for s, e, tok in _after_cue(text, _ID_CUE, _DOC_PATTERN, 60):
        tok_c = tok.strip()
        compact = re.sub(r"[ -]", "", tok_c)
        if _NOT_DOC.match(tok_c) or len(compact) < 6 or not any(c.isdigit() for c in compact):
            continue
        out.append(Finding("id_number", s, e, text[s:e], REASONS["id_number"]))
    # self-validating national numbers, no label needed
    for m in re.finditer(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])", text):
        if us_ssn.is_valid(m.group()):
            out.append(Finding("id_number", m.start(), m.end(), m.group(), REASONS["id_number"]))
    for m in re.finditer(
        r"(?<![\w])[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\w])", text
    ):
        if fr_nir.is_valid(m.group()):
            out.append(Finding("id_number", m.start(), m.end(), m.group(), REASONS["id_number"]))
    for m in re.finditer(r"(?<![\w-])(?:\d{8}-?[A-Z]|[XYZ]-?\d{7}-?[A-Z])(?![\w-])", text):
        if es_dni.is_valid(m.group()) or es_nie.is_valid(m.group()):
            out.append(Finding("id_number", m.start(), m.end(), m.group(), REASONS["id_number"]))
    for m in re.finditer(r"(?<![\w])[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z](?![\w])", text):
        if it_cf.is_valid(m.group()):
            out.append(Finding("id_number", m.start(), m.end(), m.group(), REASONS["id_number"]))
    for m in re.finditer(r"(?<![\w.])\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}(?![\w])", text):
        if be_nn.is_valid(m.group()):
            out.append(Finding("id_number", m.start(), m.end(), m.group(), REASONS["id_number"]))
    return out


def _find_bank_accounts(text: str) -> list[Finding]:
    out: list[Finding] = []
    pattern = (
        r"(?<![\w-])((?:\d{2}-\d{2}-\d{2})|(?=[\d -]*\d{4})\d(?:\d|[ -](?=\d)){5,29})(?![\w-])"
    )
    for s, e, tok in _after_cue(text, _BANK_CUE, pattern, 40):
        if sum(c.isdigit() for c in tok) < 6:
            continue
        out.append(Finding("bank_account", s, e, text[s:e], REASONS["bank_account"]))
    return out


_PHONE_CAND = re.compile(
    r"(?<![\w.,/+-])(?:\+\s?|00)?(?:\(\d{1,4}\)\s?)?\d[\d\s\u00a0().-]{5,22}\d(?![\w/]|[.,]\d)"
)
_HS_LIKE = re.compile(r"^\d{4}\.\d{2}(?:\.\d{2,4})*$")
_NUM_LEFT_SAFE = re.compile(
    r"(?:\b(?:IMO|MMSI|HS|SH|CN|TARIC|code|heading|subheading|position|tariff|nomenclature"
    r"|flight|vol|container|conteneur|AWB|LTA|B/L|BL|MAWB|HAWB|seal|scellé|invoice|facture"
    r"|declaration|déclaration|MRN|reference|référence|ref|lot|batch|serial|série|case|dossier"
    r"|permit|permis|certificate|certificat|CITES|licen[cs]e|n°\s*de\s*lot)\b[^\n]{0,14})$",
    re.IGNORECASE,
)
_NUM_RIGHT_SAFE = re.compile(
    r"^\s*(?:kg|kgs|g|mg|t|tonnes?|tons?|lbs?|pieces?|pcs|pièces|sticks?|cigarettes?|units?"
    r"|unités|cartons?|packs?|paquets?|bottles?|bouteilles?|litres?|liters?|l|ml|cl|hl|m3|m²"
    r"|m|km|cm|mm|usd|eur|euros?|gbp|€|\$|£|xof|xaf|fcfa|cfa|francs?|dollars?|naira|cedis?"
    r"|dirhams?|dinars?|rands?|shillings?|doses?|tablets?|comprimés|ampoules|vials?|heads?"
    r"|têtes|specimens?|spécimens|plants?|birds?|oiseaux|boxes|boîtes|bags|sacs|parcels?"
    r"|colis|teu|containers?|conteneurs?|%)\b",
    re.IGNORECASE,
)

_PHONE_REGIONS = {
    "en": ("GB", "US", "IE", "NG", "GH", "KE", "ZA", "IN", "FR", "BE"),
    "fr": ("FR", "BE", "CH", "LU", "CA", "SN", "CI", "CM", "MA", "DZ", "TN", "GB", "US"),
}


def _find_phones(text: str, lang: str) -> list[Finding]:
    out: list[Finding] = []
    regions = _PHONE_REGIONS.get(lang, _PHONE_REGIONS["en"])
    for m in _PHONE_CAND.finditer(text):
        raw = m.group().rstrip(" .-)")
        if raw.count("(") != raw.count(")"):
            raw = raw.lstrip("(") if raw.startswith("(") else raw
        start, end = m.start(), m.start() + len(raw)
        digits = re.sub(r"\D", "", raw)
        if not 8 <= len(digits) <= 15:
            continue
        left = text[max(0, start - 30) : start]
        cue = bool(_PHONE_CUE.search(left))
        if not cue and (_NUM_LEFT_SAFE.search(left) or _NUM_RIGHT_SAFE.match(text[end:])):
            continue
        if re.fullmatch(
            r"\d{1,2}[.-]\d{1,2}[.-](?:19|20)\d{2}|(?:19|20)\d{2}[.-]\d{1,2}[.-]\d{1,2}",
            raw.strip(),
        ):
            continue
        if not cue and _HS_LIKE.match(raw):
            continue
        if raw.startswith(("+", "00")):
            intl = "+" + raw.lstrip("+")[2:] if raw.startswith("00") else raw
            try:
                num = phonenumbers.parse(intl, None)
                ok = phonenumbers.is_possible_number(num)
            except phonenumbers.NumberParseException:
                ok = False
            if ok or cue:
                out.append(Finding("phone", start, end, raw, REASONS["phone"]))
            continue
        ok = False
        for region in regions:
            try:
                num = phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(num):
                ok = True
                break
        if ok or cue:
            out.append(Finding("phone", start, end, raw, REASONS["phone"]))
    return out


_MONTHS = (
    r"(?:jan(?:uary|vier|v)?|feb(?:ruary)?|f[ée]v(?:rier)?|mar(?:ch|s)?|apr(?:il)?|avr(?:il)?"
    r"|may|mai|june?|juin|july?|juil(?:let)?|aug(?:ust)?|ao[uû]t|sep(?:t(?:ember|embre)?)?"
    r"|oct(?:ober|obre)?|nov(?:ember|embre)?|dec(?:ember)?|d[ée]c(?:embre)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}"
    r"|(?:\d{1,2}(?:st|nd|rd|th|er)?\s+)?" + _MONTHS + r",?\s+\d{4}"
    r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|(?:19|20)\d{2})"
)
_DOB_RE = re.compile(
    r"\b(?:born|b\.|DOB|D\.O\.B\.?|date\s+of\s+birth|birth\s*date|birthday|n[ée]e?s?"
    r"|n[ée]\(e\)|date\s+de\s+naissance|DDN|anniversaire)\b\.?"
    r"[^.;\n]{0,45}?(?<![\w/.-])(" + _DATE + r")(?![\w/-]|\.\d)",
    re.IGNORECASE,
)


def _find_dobs(text: str) -> list[Finding]:
    out: list[Finding] = []
    for m in _DOB_RE.finditer(text):
        s, e = m.start(1), m.end(1)
        out.append(Finding("date_of_birth", s, e, text[s:e], REASONS["date_of_birth"]))
    return out


_EN_STREET = (
    r"Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Boulevard|Blvd\.?|Close"
    r"|Court|Ct\.?|Way|Place|Pl\.?|Crescent|Cres\.?|Terrace|Square|Sq\.?|Highway|Hwy\.?"
    r"|Parkway|Gardens|Grove|Mews|Row|Walk|Hill|Park|Rise|View|Circle|Trail|Estate"
)
_FR_STREET = (
    r"rue|avenue|av\.|boulevard|bd|bld|allée|allées|impasse|chemin|place|quai|cours|route"
    r"|chaussée|faubourg|square|passage|résidence|lotissement|cité|voie|rond-point|sentier"
    r"|villa|hameau|lieu-dit|parc|promenade|esplanade"
)
_ADDRESS_RES = (
    re.compile(
        r"(?<![\w.,/-])(?:(?:flat|apt\.?|apartment|unit|suite)\s+\w{1,5},?\s+)?\d{1,5}[A-Za-z]?"
        r"(?:[-\u2013]\d{1,5})?,?\s+(?:[A-Z][\w'\u2019.-]*\s+){1,4}(?:" + _EN_STREET + r")(?![\w])",
    ),
    re.compile(
        r"(?<![\w.,/-])\d{1,4}(?:\s?(?:bis|ter|quater|[A-Da-d]))?,?\s+(?i:" + _FR_STREET + r")"
        r"(?:\s+(?:(?:de|du|des|la|le|les|l['\u2019]|d['\u2019]|aux|au|en|sur|sous|et)\s*)*"
        r"[A-ZÉÈÀÂÎÔÛÇ0-9][\w'\u2019.-]*){1,6}",
    ),
    re.compile(
        r"\b(?:P\.?\s?O\.?\s?Box|Post\s+Office\s+Box|B\.\s?P\.|BP|Bo[iî]te\s+postale|Postfach"
        r"|Private\s+Bag|Case\s+postale|CP)\s*(?:n°|no\.?)?\s*\d{1,6}\b",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]?\s\d[ABD-HJLNP-UW-Z]{2}(?![\w-])"),  # UK postcode
)
_ADDRESS_CUE = re.compile(
    r"\b(?:resid(?:ing|es|ent)\s+at|living\s+at|lives\s+at|home\s+address|private\s+address"
    r"|domicil(?:ié|iée|iés|iées|e)\s+(?:au|à|a)|demeurant\s+(?:au|à|a)|habitant\s+(?:au|à|a)"
    r"|adresse\s+personnelle|adresse\s+privée|home\s+at)\b\s*:?\s*([^.;()\n]{4,80})",
    re.IGNORECASE,
)


def _find_addresses(text: str) -> list[Finding]:
    out: list[Finding] = []
    for rx in _ADDRESS_RES:
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            seg = text[s:e].rstrip(" ,")
            out.append(Finding("street_address", s, s + len(seg), seg, REASONS["street_address"]))
    for m in _ADDRESS_CUE.finditer(text):
        seg = m.group(1)
        parts = re.split(r",\s+", seg)
        seg = parts[0]
        if re.fullmatch(r"\d{1,5}\s*(?:bis|ter)?", seg.strip()) and len(parts) > 1:
            seg = seg + ", " + parts[1]
        seg = seg.rstrip(" ,")
        if re.search(r"\d", seg) or re.search(r"\b(?:" + _EN_STREET + "|" + _FR_STREET + r")\b",
                                             seg, re.IGNORECASE):
            s = m.start(1)
            out.append(
                Finding("street_address", s, s + len(seg), seg, REASONS["street_address"])
            )
    return out


_PLATE_CUE = re.compile(
    r"\b(?:registration(?:\s+(?:number|no\.?|plates?|mark))?|registered|reg\.?(?:\s+no\.?)?"
    r"|licen[cs]e\s+plates?|number\s+plates?|plates?|plated|VRN|immatricul(?:é|ée|és|ées|ation)"
    r"|plaques?(?:\s+d['\u2019]immatriculation)?|kennzeichen)\b",
    re.IGNORECASE,
)
#: Vehicle nouns: a weaker cue (the next token may be a model: "truck MAN TGX 18").
_VEHICLE_CUE = re.compile(
    r"\b(?:truck|lorry|van|car|vehicle|trailer|semi-trailer|tractor(?:\s+unit)?|motorcycle|bus"
    r"|coach|véhicule|camion|camionnette|fourgon|voiture|remorque|semi-remorque|tracteur|moto"
    r"|autocar)\b",
    re.IGNORECASE,
)
_PLATE_PATTERN = (
    r"(?<![\w-])((?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,5}(?:[ -][A-Z0-9]{1,5}){0,3})"
    r"(?![\w-])"
)
_PLATE_NO_CUE = (
    re.compile(r"(?<![\w-])[A-HJ-NP-TV-Z]{2}-\d{3}-[A-HJ-NP-TV-Z]{2}(?![\w-])"),  # FR SIV
    re.compile(r"(?<![\w-])[A-Z]{2}\d{2} ?[A-Z]{3}(?![\w-])"),  # UK
    re.compile(r"(?<![\w-])[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} \d{1,4}[EH]?(?![\w-])"),  # DE
    re.compile(r"(?<![\w-])\d{1,4} ?[A-Z]{2,3} ?(?:\d{2}|2[AB]|97\d)(?![\w-])"),  # old FR FNI
    re.compile(r"(?<![\w-])\d-[A-Z]{3}-\d{3}(?![\w-])"),  # BE
)


_MAKES = frozenset(
    [
        "MAN", "DAF", "VW", "VOLVO", "SCANIA", "IVECO", "MB", "MERCEDES", "RENAULT", "FORD", "OPEL",
        "KIA", "BMW", "AUDI", "SEAT", "SKODA", "FIAT", "PEUGEOT", "CITROEN", "TOYOTA", "NISSAN",
        "HONDA", "HYUNDAI", "ISUZU", "MITSUBISHI", "MAZDA", "DACIA", "LADA", "TATA", "TESLA", "GMC",
        "RVI", "HINO", "FUSO", "KAMAZ", "SCHMITZ", "KRONE", "KOGEL",
    ]
)


def _find_plates(text: str) -> list[Finding]:
    out: list[Finding] = []
    for s, e, tok in _after_cue(text, _VEHICLE_CUE, _PLATE_PATTERN, 25):
        first = re.split(r"[ -]", tok)[0]
        if first in _MAKES or sum(c.isdigit() for c in tok) < 3 or re.match(r"^\d+$", first):
            continue
        out.append(Finding("vehicle_plate", s, e, text[s:e], REASONS["vehicle_plate"]))
    for s, e, tok in _after_cue(text, _PLATE_CUE, _PLATE_PATTERN, 40):
        left = text[max(0, s - 60) : s]
        if re.search(r"\b(?:IMO|vessel|ship|navire|company|société|RCS|SIREN|SIRET|VAT|TVA"
                     r"|EORI|trade\s+register|aircraft|avion|tail)\b", left, re.IGNORECASE):
            continue
        compact = re.sub(r"[ -]", "", tok)
        if not 4 <= len(compact) <= 10 or re.match(r"^(?:IMO|HS|AF|EUR|USD)\b", tok):
            continue
        out.append(Finding("vehicle_plate", s, e, text[s:e], REASONS["vehicle_plate"]))
    for rx in _PLATE_NO_CUE:
        for m in rx.finditer(text):
            out.append(
                Finding("vehicle_plate", m.start(), m.end(), m.group(), REASONS["vehicle_plate"])
            )
    return out


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------


def _resolve(findings: list[Finding]) -> list[Finding]:
    """Drop duplicates and findings overlapping a higher-priority (or longer) one."""
    ranked = sorted(findings, key=lambda f: (_PRIORITY[f.kind], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for f in ranked:
        if f.end <= f.start:
            continue
        if any(f.start < k.end and k.start < f.end for k in kept):
            continue
        kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end))


def find_personal_data(text: str, lang: str = "en") -> list[Finding]:
    """Return the personal data found in ``text`` (empty list if none), sorted by position.

    ``lang`` ("en" or "fr") only changes which countries' national phone formats are tried
    first; cue words of both languages are always recognised, since summaries mix them.
    Never raises on any ``str`` input.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    lang = (lang or "en").split("-")[0].lower()
    findings: list[Finding] = []
    findings += _find_mrz(text)
    findings += _find_emails(text)
    findings += _find_ibans(text)
    findings += _find_cards(text)
    findings += _find_documents(text)
    findings += _find_bank_accounts(text)
    findings += _find_phones(text, lang)
    findings += _find_dobs(text)
    findings += _find_addresses(text)
    findings += _find_plates(text)
    findings += _find_names(text)
    return _resolve(findings)


def main(argv: Sequence[str] | None = None) -> int:
    """Read text on stdin, print one JSON object per finding; exit 1 if any, else 0."""
    parser = argparse.ArgumentParser(
        prog="opencen privacy-check",
        description="Check text on standard input for personal data; print findings as JSON lines.",
    )
    parser.add_argument("--lang", default="en", choices=["en", "fr"], help="text language")
    args = parser.parse_args(list(argv) if argv is not None else None)
    text = sys.stdin.read()
    findings = find_personal_data(text, args.lang)
    for f in findings:
        sys.stdout.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
