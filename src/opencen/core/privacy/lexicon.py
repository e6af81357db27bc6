"""What words mean to the name detector: the gazetteer files in ``data/`` and the word lists.

The gazetteer (given names, surnames, weak names, places) is loaded lazily, once, on the first
call. Everything else here is a constant: brands named after people, company forms, product
nouns, role nouns, titles, name particles, nationalities, vehicle makes, chemical and drug
words, and the context patterns that make a capitalised phrase a vessel, a place or a brand
rather than a person.
:class:`Lexicon` answers the per-token questions ("is this a given name?").
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def _load(name: str) -> frozenset[str]:
    path = DATA_DIR / name
    with path.open(encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


@lru_cache(maxsize=1)
def gazetteer() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Given names, surnames, weak (common-word) names, places; loaded once, lazily."""
    return (
        _load("given_names.txt"),
        _load("surnames.txt"),
        _load("common_words.txt"),
        frozenset(p.casefold() for p in _load("places.txt")),
    )


def _exact_words(s: str) -> frozenset[str]:
    """The white-space separated words of ``s``, matched as written."""
    return frozenset(s.split())


def _folded_words(s: str) -> frozenset[str]:
    """The white-space separated words of ``s``, case-folded (match them case-folded)."""
    return frozenset(w.casefold() for w in s.split())


#: Brands, labels and companies named after people, matched case-insensitively as phrases.
BRANDS = [
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
AMBIGUOUS_BRANDS = frozenset({"mr price", "mr. price"})
#: Context next to an ambiguous brand that makes it the brand ("Mr Price stores").
BRAND_CONTEXT = re.compile(
    r"(?:retailer|store|stores|shop|shops|chain|brand|branded|enseigne|magasin|magasins|marque"
    r"|outlet|outlets|group|home|sport|labels?|logo|bags|carrier\s+bags|clothing|products)",
    re.IGNORECASE,
)
BRAND_CONTEXT_RIGHT = re.compile(r"^[\s'\u2019-]*(?:s\b|" + BRAND_CONTEXT.pattern + ")", re.I)

#: Words that make a capitalised phrase a company rather than a person (when right after it).
#: Short legal forms are matched case-sensitively ("SA" is a company, "sa" is French for "her").
COMPANY_FORMS = _exact_words(
    """Ltd Ltd. LTD Limited LIMITED LLC Inc Inc. INC Corp Corp. Co Co. CO GmbH GMBH AG SA S.A.
    SAS SARL SNC BV B.V. NV N.V. SpA S.p.A. SPA PLC plc Pty Pte Sdn Bhd SRL Srl S.r.l. KG Oy AB
    AS A/S Lda Ltda LLP LP SE EURL SASU SCI GIE"""
)
COMPANY_SUFFIX = _folded_words(
    """limited company group groupe holdings holding trading logistics logistique import export
    imports exports enterprises enterprise industries industrie international intl shipping
    freight forwarding transport transports sons partners associates foundation fondation bank
    banque airlines airways lines maritime express couriers services stores store shop shops
    outlets boutique boutiques brothers frères corporation & cie"""
)
#: Product nouns: "Michael Kors handbags" is a brand, not a person.
PRODUCT_WORDS = _folded_words(
    """branded brand label labels logo logos products product goods items articles handbags
    handbag bags bag purses wallets wallet belts belt watches watch perfume perfumes fragrance
    fragrances eau cologne clothing clothes apparel garments shirts shirt t-shirts polo polos
    jeans jackets jacket caps hats sneakers trainers shoes boots sandals sunglasses glasses
    eyewear jewellery jewelry rings bracelets necklaces whisky whiskey bourbon scotch vodka
    rum gin tequila champagne cognac wine spirits bottles bottle cigarettes cigarette cigars
    cigar tobacco packs cartons sticks toys toy dolls figurines cosmetics lipstick make-up
    makeup chargers phones accessories parts spare tractors mowers sacs sac montres montre parfum
    parfums vêtements chaussures baskets bouteilles bouteille ceintures lunettes jouets
    cartouches paquets marque contrefaçons contrefaits copies replicas fakes style
    -branded tablets pills"""
)
#: Words up to three positions before a capitalised phrase that make it a brand.
BRAND_LEFT = _folded_words(
    """counterfeit counterfeited fake fakes imitation imitations replica replicas knock-off
    knockoff branded brand brands bearing logo logos trademark trademarks labelled labeled
    genuine authentic infringing right-holder rightholder licensed contrefaçon contrefaçons
    contrefaisant contrefaisants contrefaits contrefaites imitant marque marques griffé griffés
    griffée griffées portant estampillés estampillé"""
)
#: Words right before a capitalised phrase that make it a vessel, place, shop or company.
NON_PERSON_PREV = _folded_words(
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
ROLE_WORDS = _folded_words(
    """passenger passengers driver drivers traveller traveler travellers travelers courier
    couriers mule mules consignee consignor sender recipient addressee suspect suspects
    defendant accused offender offenders smuggler smugglers owner captain skipper pilot crew
    crewman crewmember seafarer hostess steward stewardess woman man girl boy person individual
    citizen national nationals resident holder husband wife brother sister son daughter father
    mother cousin uncle aunt accomplice associate partner employee director manager
    shareholder buyer seller customer client tenant landlord
    passager passagère passagers conducteur conductrice chauffeur chauffeuse voyageur voyageuse
    voyageurs destinataire expéditeur expéditrice suspecte prévenu prévenue mis
    contrevenant contrevenante contrevenants propriétaire capitaine matelot marin équipage
    ressortissant ressortissante ressortissants individu individus homme femme fille garçon
    citoyen citoyenne résident résidente titulaire époux épouse mari frère sœur soeur fils
    père mère complice associé associée gérant gérante dirigeant dirigeante acheteur vendeur
    cliente locataire convoyeur convoyeuse transporteur passeur passeuse"""
)
#: Words that may stand between a role noun and the name ("the female passenger, X").
ROLE_MODIFIERS = _folded_words(
    """female male young elderly suspected alleged presumed présumé présumée jeune dénommé
    second first third other autre"""
)
#: Words directly before a phrase that is then taken as a name (even if unknown to the lists).
NAMING_CUES = re.compile(
    r"(?:\b(?:named|called|surnamed|identified\s+as|known(?:\s+\w+)?\s+as|going\s+by|alias"
    r"|a\.?k\.?a\.?"
    r"|a\s+certain|one|nommée?s?|dénommée?s?|prénommée?s?|surnommée?s?|identifiée?s?\s+comme"
    r"|connue?s?\s+sous\s+le\s+nom\s+de|du\s+nom\s+de|au\s+nom\s+de|se\s+faisant\s+appeler"
    r"|dite?|un\s+certain|une\s+certaine|le\s+sieur|la\s+dame|in\s+the\s+name\s+of"
    r"|addressed\s+to|adressée?s?\s+à|consigned\s+to|signed\s+by|signée?\s+par"
    r"|registered\s+(?:to|in\s+the\s+name\s+of)|owned\s+by|appartenant\s+à|rented\s+by"
    r"|louée?\s+par|driven\s+by|conduite?\s+par|accompanied\s+by|accompagnée?\s+de"
    r"|(?:full\s+)?name|surname|first\s+name|given\s+name|nom|prénom|nom\s+de\s+famille)"
    r"\s*[:,]?\s*)$",
    re.IGNORECASE,
)
#: Titles: the capitalised words after them are a name.
TITLES = _exact_words(
    """Mr Mr. Mrs Mrs. Ms Ms. Miss Mx Mx. Dr Dr. M. Mme Mme. Mlle Mlle. Mmes Messrs Messrs. MM.
    Monsieur Madame Mademoiselle Sir Dame Lady Lord Herr Frau Señor Señora Sr. Sra. Srta. Sig.
    Signor Signora Me Maître Docteur Prof. Professor Professeur Sheikh Cheikh Alhaji Alhaja
    Chief Hon. Rev. Pastor Imam"""
)
#: Lower-case particles allowed inside a name ("Abdou bin Salem", "Charles de Gaulle").
PARTICLES = _exact_words(
    """de du des da das do dos di del della der den van von ter ten bin ibn ben bint al el la
    le y e d' l' mac"""
)
#: Capitalised words that never start or continue a person's name.
STOP_CAPS = _folded_words(
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
    Marché Mall Center Hospital Hôtel Hotel Bank Banque University Université College
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
    Mr Mrs Ms Dr Mme Mlle Monsieur Madame Mademoiselle Sir Lady Quantity Value Weight
    Report Reports Case Cases Intelligence Risk Profile Scanner X-ray Dog Canine Team
    Operation Opération Joint Task Force Europe Africa Asia America Americas Afrique Asie
    Amérique European Union Européenne EU UE WCO OMD RILO UNODC Interpol Europol OLAF
    Frontex HMRC CBP DGDDI SARS KRA GRA NCS ANTI-FRAUD Anti-Fraud Postal Post Poste
    Gold Silver Black White Red Blue Green Label Reserve Original Classic Premium Edition
    Whisky Whiskey Bourbon Vodka Gin Rum Tequila Champagne Cognac Brandy Liqueur Beer Wine
    Cigarettes Cigars Tobacco Convention Agreement Treaty Protocol Act Law Regulation
    Directive Code Decree Décret Loi Règlement Accord Programme Program Project Projet"""
)
NATIONALITIES = _folded_words(
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
    albanais algérien algérienne allemand allemande américain américaine angolais
    argentin belge béninois béninoise brésilien brésilienne britannique bulgare burkinabé
    camerounais camerounaise canadien canadienne chinois chinoise colombien colombienne
    congolais congolaise ivoirien ivoirienne égyptien égyptienne espagnol espagnole
    français française gabonais gabonaise ghanéen ghanéenne grec grecque guinéen guinéenne
    haïtien haïtienne indien indienne italien italienne libanais libanaise malien malienne
    marocain marocaine mauritanien mauritanienne mexicain mexicaine néerlandais nigérian
    nigériane nigérien nigérienne pakistanais pakistanaise péruvien polonais polonaise
    portugais portugaise roumain roumaine russe sénégalais sénégalaise suisse syrien
    syrienne tchadien tchadienne togolais togolaise tunisien tunisienne turc turque
    ukrainien ukrainienne vénézuélien vietnamien vietnamienne"""
)
#: Text right before a phrase that makes it a vessel's name ("MV", "aboard the").
VESSEL_LEFT = re.compile(
    r"(?:\b(?:vessel|ship|m/?v|m/?t|mv|ms|navire|bateau|cargo|vraquier|chalutier|tanker"
    r"|porte-conteneurs|aboard|on\s+board|à\s+bord\s+du|yacht|reefer|feeder|boat)\b"
    r"[\s\"'“«]*)$",
    re.IGNORECASE,
)
#: Shipping lines: a run next to one of these is a vessel ("MSC Oscar", "Madrid Maersk").
SHIPPING_TOKENS = _exact_words(
    """MSC CMA CGM Maersk MAERSK COSCO Cosco Ever EVER HMM ONE APL ZIM Hapag-Lloyd Evergreen
    OOCL Grimaldi Grande Hamburg Süd"""
)
#: Text right before a phrase that makes it a place ("aéroport", "rue de la").
PLACE_LEFT = re.compile(
    r"(?:\b(?:airport|aéroport|aeroport|aérogare|rue|avenue|av\.|boulevard|bd|allée|place|quai"
    r"|cours|impasse|chemin|route|pont|bridge|lycée|école|hôpital|hospital|stade|stadium"
    r"|université|university|gare|station|port|terminal|street|road|square)"
    r"(?:\s+(?:international|internationale|de|du|des|d'|d\u2019|of|the))*\s*)$",
    re.IGNORECASE,
)
#: Text right after a phrase that makes it a place ("... International", "... Street").
PLACE_RIGHT = re.compile(
    r"^\s*(?:-\s*)?(?:International|Intl|Airport|Aéroport|Airfield|Terminal|Port|Harbour"
    r"|Street|Road|Avenue|Boulevard|Bridge|Square|Stadium|Hospital|University|College"
    r"|School|Station|Falls|Lake|Island|Bay|County|City|Town)\b"
)
#: Upper-case words that are codes, currencies, agencies, airports or legal forms, not names.
UPPER_ACRONYMS = _exact_words(
    """MSC CMA CGM COSCO HMM ONE APL ZIM OOCL DHL UPS TNT EMS HS SH IMO CITES USD EUR GBP XOF
    XAF CFA CHF CAD AUD JPY CNY AED NGN GHS KES ZAR MAD TND DZD UN EU UE WCO OMD RILO UNODC
    OLAF HMRC CBP DGDDI SARS KRA GRA NCS DEA FBI AFP ID NIN SSN DOB VAT TVA CIF FOB DAP DDP ETA
    ETD AWB BL BOL MAWB HAWB LCL FCL TEU TEUS GPS RFID CCTV NCP CEN NCEN GMT UTC PDF JPEG USB
    CBD THC LSD MDMA GHB LTD LLC SA SARL SAS GMBH PLC INC BV NV SPA PJSC OJSC JSC AG AB OY KG
    CDG JFK LHR ORY AMS FRA LOS ACC ABJ DKR NBO ADD DXB IST DOH CMN TUN ALG BRU MRS LYS NCE RPG
    AK AKM NATO ONU DRC RDC USA UK UAE RSA PRC"""
)
#: Vehicle makes, as written in registrations: not names, and not the start of a plate.
MAKES = _exact_words(
    """MAN DAF VW VOLVO SCANIA IVECO MB MERCEDES RENAULT FORD OPEL KIA BMW AUDI SEAT SKODA FIAT
    PEUGEOT CITROEN TOYOTA NISSAN HONDA HYUNDAI ISUZU MITSUBISHI MAZDA DACIA LADA TATA TESLA
    GMC RVI HINO FUSO KAMAZ SCHMITZ KRONE KOGEL"""
)
#: Chemical and drug vocabulary (precursors, solvents, reagents, salts, drugs, the stems of
#: synthetic cannabinoid codes): words of goods descriptions, counted as common words, so that
#: "Methyl Ethyl Ketone" or "Acetone/Ethyl Ether" is no name although "Ethyl" is a given name.
#: Words that are names in their own right ("Amine", "Ester") are left out.
CHEMICAL_WORDS = _folded_words(
    """methyl ethyl propyl isopropyl butyl isobutyl pentyl hexyl heptyl octyl amyl isoamyl
    benzyl phenyl acetyl vinyl allyl dimethyl diethyl trimethyl methylene ethylene propylene
    ketone ketones ether ethers aldehyde aldehydes amines amide amides alcohol alcohols
    acid acids anhydride anhydrides chloride chlorides bromide iodide fluoride cyanide
    hydroxide oxide peroxide carbonate bicarbonate sulphate sulfate sulphite sulfite nitrate
    nitrite phosphate phosphite permanganate acetate formate oxalate tartrate citrate
    hydrochloride hydrobromide sulphuric sulfuric hydrochloric hydriodic hypophosphorous
    phosphorous phosphoric nitric acetic formic benzoic tartaric lysergic anthranilic
    phenylacetic glycidic glycidate hydrogen acetone toluene benzene xylene hexane heptane
    methanol ethanol propanol butanol isopropanol chloroform dichloromethane kerosene naphtha
    solvent solvents sodium potassium ammonium calcium magnesium lithium aluminium aluminum
    barium iodine bromine chlorine phosphorus sulphur sulfur ephedrine pseudoephedrine
    norephedrine ergometrine ergotamine safrole isosafrole piperonal piperidine pyrrolidine
    methylamine dimethylamine formamide nitroethane nitrostyrene phenylacetone cyclohexanone
    butyrolactone apaan apaa bmk pmk cocaine heroin morphine codeine methamphetamine
    amphetamine ketamine fentanyl carfentanil tramadol methadone mephedrone cathinone
    methcathinone cannabinoid cannabinoids fubinaca pinaca chminaca butinaca binaca chmica
    fubimina nbome precursor precursors reagent reagents"""
)
#: Parts of systematic chemical names: "Dimethyltryptamine", "Phenylpropanone", "Acetylfentanyl".
_CHEMICAL_PART = re.compile(
    r"(?:meth|eth|prop|but|pent|hex|hept|benz|phen|acet|vin|all|fur)yl|fentanyl|chloro|fluoro"
    r"|bromo|hydroxy|methoxy|ethoxy|amphetamin|cathinon|tryptamin|piperazin"
)
#: Endings that mark a surname in many languages (Slavic, Romanian, Greek, Turkish, Georgian,
#: Armenian...), so that unknown surnames still count as name evidence.
_SURNAME_SHAPE = re.compile(
    r"(?:enko|chuk|czuk|yuk|ovich|evich|ović|ević|vić|ić|ski|ska|sky|skyi|skiy|cki|cka|wicz"
    r"|escu|eanu|poulos|opoulos|akis|idis|iadis|oglu|oğlu|yan|ian|dze|shvili|ssen|sson|berg"
    r"|stein|mann|ez|ov|ova|ev|eva|in[ae]?|ovs|iou)$"
)
_VOWEL = re.compile(r"[AEIOUYÀ-ÖØ-Ý]")


@lru_cache(maxsize=1)
def phrase_index() -> dict[str, list[tuple[str, bool]]]:
    """Brand and place phrases (lower case), indexed by their first word; True for brands."""
    index: dict[str, list[tuple[str, bool]]] = {}
    places = [p for p in _load("places.txt") if " " in p or "-" in p]
    for phrase, brand in [(b, True) for b in BRANDS] + [(p, False) for p in places]:
        low = phrase.lower()
        first = re.split(r"[\s\-'\u2019.&]", low, maxsplit=1)[0]
        index.setdefault(first, []).append((low, brand))
    for entries in index.values():
        entries.sort(key=lambda e: len(e[0]), reverse=True)
    return index


def norm(word: str) -> str:
    """``word`` without a possessive "'s", and capitalised if it was in upper case."""
    w = re.sub(r"['\u2019]s$", "", word)
    if w.isupper() and len(w) > 1:
        w = "-".join(p.capitalize() for p in w.split("-"))
    return w


def is_chemical(word: str) -> bool:
    """True for a word of chemistry or of drugs ("Ethyl", "KETONE", "AB-FUBINACA")."""
    folded = norm(word).casefold()
    return (
        folded in CHEMICAL_WORDS
        or any(part in CHEMICAL_WORDS for part in folded.split("-"))
        or _CHEMICAL_PART.search(folded) is not None
    )


class Lexicon:
    """Lookups on the gazetteer and the word lists for one token."""

    def __init__(self) -> None:
        self.given, self.family, self.common, self.places = gazetteer()

    def is_given(self, w: str) -> bool:
        n = norm(w)
        if n in self.given:
            return True
        parts = n.split("-")
        return len(parts) > 1 and all(p in self.given for p in parts if p)

    def is_family(self, w: str) -> bool:
        n = norm(w)
        if n in self.family:
            return True
        if len(n) > 4 and _SURNAME_SHAPE.search(n) and not is_chemical(n):  # not "Cocaine"
            return True
        parts = [p for p in re.split(r"[-'\u2019]", n) if p]
        if len(parts) > 1:
            return any(p in self.family or p in self.given for p in parts[1:])
        return False

    def is_common(self, w: str) -> bool:
        n = norm(w)
        return (
            n in self.common
            or n.casefold() in STOP_CAPS
            or n.casefold() in NATIONALITIES
            or is_chemical(n)
        )

    def is_stop(self, w: str) -> bool:
        n = norm(w)
        return (
            n.casefold() in STOP_CAPS
            or n.casefold() in NATIONALITIES
            or n.casefold() in self.places
            or w in UPPER_ACRONYMS
        )

    def strong_given(self, w: str) -> bool:
        return self.is_given(w) and len(norm(w)) > 2 and not self.is_common(w)

    def name_score(self, w: str) -> int:
        """2: clearly a name part, 1: possibly, 0: not a name part."""
        if self.is_stop(w) or w in MAKES:
            return 0
        if (self.is_given(w) or self.is_family(w)) and not self.is_common(w):
            return 2
        if w.isupper() and len(w) > 2 and w not in UPPER_ACRONYMS:
            if not _VOWEL.search(w):  # "TGX", "KGS": codes, not names
                return 0
            return 2 if not self.is_common(w) else 1
        # a known but common word, or an unknown capitalised word (a foreign surname as often
        # as anything)
        return 1
