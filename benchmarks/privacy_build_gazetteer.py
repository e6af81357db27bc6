"""Rebuild the compact names gazetteer shipped in ``src/opencen/core/privacy/data``.

This is a maintainer tool, not part of the gate at run time. It derives four small text files:

* ``given_names.txt`` - given names in Latin script from Faker's person providers (MIT licence),
  all locales, plus the US Census 1990 first-name lists (public domain);
* ``surnames.txt`` - surnames in Latin script from Faker (MIT) plus the 40,000 most frequent
  surnames of the US Census 1990 (public domain, as redistributed by the ``names`` package,
  MIT);
* ``common_words.txt`` - the names above that are also ordinary English words (SCOWL word list,
  Debian package ``wamerican``), except the 300 most frequent US given names of each sex, plus the
  hand list below (months, gems, brands, places, French virtue names); such names only count as
  weak evidence;
* ``places.txt`` - country names, common short names and capitals from pycountry (LGPL data,
  only names of places are taken) plus a hand list of ports, airports and cities.

Usage (needs Faker and pycountry in the venv, the ``names`` sdist unpacked somewhere and
``/usr/share/dict/american-english``)::

    .venv/bin/python benchmarks/privacy_build_gazetteer.py --census /tmp/names-0.3.0/names
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "opencen" / "core" / "privacy" / "data"

#: Given names that are ordinary words in French (or in customs jargon) and must stay weak.
EXTRA_COMMON = """
Rose Marine Ange Constant Aime Aimé Blanche Fleur Victoire Espérance Prudence Clément Modeste
Fidèle Désiré Félicité Céleste Océane Aurore Avril Reine Noël Pascal Gloria Fortune Bienvenu
Sylvain Colombe Perle Ambre Capucine Violette Margot Dieudonné Innocent Blessing Precious Gift
Godwin Lucky Prosper Sunday Monday Friday Happy Favour Goodluck Marvellous Patience Comfort Mercy
Charity Justice Peace Wisdom Royal Golden Ivory Crystal Diamond Amber Jade Emerald Pearl Ruby Coral
Opal Jasper Onyx Cuba China India Jordan Chad Israel Kenya Georgia Florence Paris Sydney Victoria
Austin Dallas Houston Lincoln Madison Washington Orlando Santiago Lima Sofia Adelaide Charlotte
Savannah Phoenix Aurora Alexandria Valencia Lorraine Boston Bristol Brandon Milan Venus Mars Atlas
Nova Delta Alpha Sierra Oscar Tango Victor Juliet Romeo Hotel Kilo Lima Mike Papa Quebec Yankee
Zulu Echo Golf Fox Customs Police Port Harbour Coast Mercedes Porsche Ferrari May June April August
Bill Will Mark Jack Lamborghini Cartier Chanel Gucci Prada Versace Armani Dior Lacoste Hermès Boss
Rolex Omega Marlboro Camel Winston Kent Davidoff Chesterfield Gauloises Gitanes Rothmans Dunhill
Lucky Pall Mall Benson Hedges Parliament Monte Cristo Cohiba Hennessy Martell Rémy Smirnoff Bacardi
Daniel's Walker Morgan Jameson Baileys Cointreau Moët Chandon Dom Pérignon Jack Johnnie Jim Captain
Lady King Queen Prince Princess Duke Baron Sultan Emir Sheikh Imam Pastor Bishop Saint Sainte San
Santa Notre Dame Mont Fort Cap Grand Petit Port Nouveau New Old North South East West Central Upper
Lower Great Little Sea Bay Gulf Cape Lake River Island Islands Ocean
"""

#: Given names of regions that Faker covers in non-Latin script only or not at all (West and
#: Central Africa, Maghreb, Ukraine and Russia in transliteration, China in pinyin).
EXTRA_GIVEN = """
Aminata Kadiatou Fatoumata Mariam Mariama Oumou Adama Seydou Boubacar Mamadou Ousmane Moussa
Souleymane Bakary Sékou Sekou Lassana Aissata Aïssata Hawa Djeneba Djénéba Assétou Assetou Salif
Modibo Cheick Cheikh Drissa Issa Issiaka Yacouba Abdoulaye Alassane Amadou Amadou Oumar Ibrahima
Mamadi Lamine Aliou Alioune Babacar Demba Samba Modou Pape Ndeye Ndèye Coumba Khady Astou Awa
Binta Rokhaya Aïda Aida Sokhna Dieynaba Fanta Nafissatou Ramatoulaye Salimata Rasmata Wendpouiré
Adjoa Affoué Ahou Amenan Akissi Aya Kouadio Kouakou Koffi Kofi Yao Konan Kouamé Kouame Serge
Brice Armel Arsène Hervé Blaise Landry Parfait Fulbert Ghislain Thierry Didier Patrick Christelle
Nadège Clarisse Prisca Grâce Divine Esther Ruth Jeanne Rosine Solange Sidonie Bertille Flore
Christian Junior Arnaud Cédric Franck Yannick Loïc Kévin Mathias Léon Landry Guy-Roger Jean-Marie
Jean-Claude Jean-Baptiste Jean-Pierre Jean-Paul Marie-Claire Marie-Thérèse Marie-Louise
Abdelkader Abdelaziz Abdellah Abdelali Abdelhak Abderrahmane Abdelmajid Youssef Yousef Yusuf
Khalid Khaled Rachid Rachida Hamid Hamza Mohamed Mohammed Mohammad Muhammad Mehdi Karim Karima
Nadia Samira Samir Sofiane Soufiane Bilal Walid Nabil Nabila Farid Farida Fouad Mourad Mounir
Mustapha Mustafa Omar Othmane Said Saïd Tarik Tariq Yassine Yasmina Zakaria Zineb Leïla Leila
Latifa Malika Naïma Naima Houria Khadija Fatima Fatiha Aïcha Aicha Hakim Hicham Driss Larbi
Oksana Olena Olha Oleksandr Oleksiy Oleksii Dmytro Mykola Mykhailo Andriy Andrii Serhiy Serhii
Volodymyr Yuriy Yurii Bohdan Taras Vasyl Iryna Tetiana Nataliia Kateryna Yulia Yuliia Svitlana
Svetlana Natalia Natalya Tatiana Tatyana Ekaterina Yekaterina Anastasia Olga Irina Elena Ludmila
Lyudmila Galina Marina Sergei Sergey Alexei Alexey Aleksandr Dmitri Dmitry Vladimir Nikolai
Mikhail Andrei Andrey Yuri Igor Oleg Pavel Viktor Boris Vadim Artem Artyom Maksim Denis Roman
Wei Lei Jing Hui Xin Yan Ling Ming Jun Hao Yong Jie Tao Qiang Gang Ping Hong Fang Juan Xiu
Xiaoming Xiaohong Xiaoli Jianguo Jianhua Zhiwei Zhiqiang Wenjun Haiyan Yanling Guoqiang Chunhua
Thanh Hoa Lan Minh Tuan Anh Dung Hung Huong Linh Trang Duc Quang Hai Nam Long Phuong Thu
"""

#: Surnames of the same regions.
EXTRA_SURNAMES = """
Traoré Traore Koné Kone Coulibaly Diarra Sangaré Sangare Keïta Keita Touré Toure Sissoko Camara
Diallo Bah Barry Sow Ndiaye Diop Fall Faye Gueye Mbaye Ndour Niang Sarr Seck Thiam Cissé Cisse
Ouédraogo Ouedraogo Sawadogo Kaboré Kabore Zongo Compaoré Kouassi Kouamé Kouame Konan N'Guessan
Nguessan Kouadio Bamba Doumbia Fofana Kanté Kante Konaté Konate Sylla Soumaré Dembélé Dembele
Mbarga Ngo Mukendi Kabila Ilunga Kabongo Tshibangu Mbuyi Kalala Mutombo Mbala Nkoulou Etoundi
Benali Benmoussa Benhamou Bensaïd Boukhari Bouzid Cherif Chérif Haddad Mansouri Ouali El Amrani
Amrani Alaoui Idrissi Tazi Bennani Berrada Belkacem Boumediene Hamidou Kaci Meziane Saadi Zerrouki
Bondarenko Shevchenko Kovalenko Tkachenko Kravchenko Melnyk Boyko Kovalchuk Oliynyk Polishchuk
Lysenko Marchenko Savchenko Rudenko Moroz Petrenko Ivanov Ivanova Petrov Petrova Smirnov
Smirnova Sidorov Kuznetsov Kuznetsova Popov Popova Volkov Volkova Sokolov Lebedev Kozlov Novikov
Morozov Pavlov Fedorov Orlov Zaitsev Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma
Zhu Hu Guo He Lin Gao Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong
Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lu Ding Ren Shen Yao Nguyen Tran Le Pham Hoang Phan Vu
Vo Dang Bui Do Ho Ngo Duong Ly Rahmani Rahman Hussain Hussein Hossain Khan Qureshi Siddiqui
"""

#: Places that look like person names or share tokens with them (ports, hubs, airports).
EXTRA_PLACES = """
Le Havre|Marseille|Fos-sur-Mer|Dunkerque|Rotterdam|Antwerp|Anvers|Hamburg|Hambourg|Felixstowe
Algeciras|Valencia|Piraeus|Le Pirée|Gioia Tauro|Genoa|Gênes|Tanger Med|Tangier|Casablanca
Abidjan|Dakar|Lomé|Cotonou|Lagos|Apapa|Tema|Accra|Douala|Libreville|Pointe-Noire|Mombasa
Dar es Salaam|Durban|Cape Town|Port Louis|Djibouti|Jeddah|Jebel Ali|Dubai|Sharjah|Doha
Karachi|Mumbai|Nhava Sheva|Chennai|Colombo|Chittagong|Singapore|Port Klang|Tanjung Pelepas
Laem Chabang|Ho Chi Minh City|Haiphong|Hong Kong|Shenzhen|Yantian|Shanghai|Ningbo|Qingdao
Tianjin|Xiamen|Guangzhou|Busan|Kaohsiung|Manila|Jakarta|Santos|Buenos Aires|Montevideo
Callao|Guayaquil|Buenaventura|Cartagena|Manzanillo|Colón|Balboa|Kingston|Freeport|Miami
Houston|Newark|New York|Long Beach|Los Angeles|Vancouver|Montreal|Montréal|Halifax|Roissy
Charles de Gaulle|Charles-de-Gaulle|Paris-Charles de Gaulle|Orly|Heathrow|Gatwick|Stansted
Schiphol|Zaventem|Frankfurt|Francfort|Liège|Leipzig|Madrid-Barajas|Barajas|Adolfo Suárez
Fiumicino|Leonardo da Vinci|Malpensa|Marco Polo|John F. Kennedy|JFK|George Bush|Ronald Reagan
Louis Armstrong|John Lennon|Jomo Kenyatta|Kotoka|Murtala Muhammed|Nnamdi Azikiwe
Félix Houphouët-Boigny|Houphouët-Boigny|Felix Houphouet-Boigny|Léopold Sédar Senghor
Blaise Diagne|Indira Gandhi|Chhatrapati Shivaji|Ninoy Aquino|Jorge Chávez|Jorge Chavez
Benito Juárez|Benito Juarez|Oliver Tambo|O. R. Tambo|OR Tambo|Julius Nyerere|Kenneth Kaunda
Simón Bolívar|Simon Bolivar|Humberto Delgado|Francisco Sá Carneiro|Lech Wałęsa|Václav Havel
Franz Josef Strauss|Pierre Elliott Trudeau|Jean Lesage|Mohammed V|Houari Boumediene
King Abdulaziz|King Khalid|Queen Alia|Rafic Hariri|Aimé Césaire|Roland Garros|Félix Éboué
Sir Seewoosagur Ramgoolam|Seewoosagur Ramgoolam|Prince Said Ibrahim|Guillaume Apollinaire
Saint-Nazaire|Saint-Louis|Saint-Denis|Saint-Pierre|Sainte-Marie|St Louis|St. Louis
San Pedro|San José|San Juan|Santa Cruz|Santo Domingo|São Paulo|Rio de Janeiro|Port-au-Prince
Fort-de-France|Pointe-à-Pitre|Saint-Laurent-du-Maroni|Cayenne|Nouméa|Papeete|Mayotte
Victoria Falls|Lake Victoria|Ivory Coast|Côte d'Ivoire|Sierra Leone|Costa Rica|Puerto Rico
El Salvador|Burkina Faso|Guinea-Bissau|Equatorial Guinea|South Africa|Saudi Arabia
Port Said|Port Sudan|Port Harcourt|Port Moresby|Port Elizabeth|Port of Spain|Georgetown
Jamestown|Freetown|Monrovia|Conakry|Bamako|Niamey|Ouagadougou|Nouakchott|Banjul|Bissau
Marc Chagall|Nice Côte d'Azur|Lyon-Saint-Exupéry|Saint-Exupéry|Toulouse-Blagnac|Mulhouse
""".replace("\n", "|").split("|")


def _latin(word: str) -> bool:
    if re.fullmatch(r"[^\W\d_][\w'\-]*", word) is None:
        return False
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word)


def _faker_names() -> tuple[set[str], set[str]]:
    import faker.providers.person as person

    given: set[str] = set()
    family: set[str] = set()
    for mod in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{mod.name}").Provider
        for attr, target in (
            ("first_names", given),
            ("first_names_male", given),
            ("first_names_female", given),
            ("first_names_nonbinary", given),
            ("last_names", family),
            ("last_names_male", family),
            ("last_names_female", family),
        ):
            values = provider.__dict__.get(attr, ())
            if not isinstance(values, (tuple, list, dict, set, frozenset)):
                continue
            for full in values:
                for part in str(full).split():
                    if len(part) > 1 and _latin(part):
                        target.add(part)
    return given, family


def _census(path: Path, fname: str, limit: int) -> set[str]:
    out: set[str] = set()
    with (path / fname).open(encoding="ascii") as fh:
        for i, line in enumerate(fh):
            if i >= limit:
                break
            name = line.split()[0].capitalize()
            if len(name) > 1:
                out.add(name)
    return out


def _places() -> set[str]:
    import pycountry

    places = {p.strip() for p in EXTRA_PLACES if p.strip()}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            val = getattr(c, attr, None)
            if val:
                places.add(str(val))
    return places


def main() -> None:
    """Write the gazetteer files."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--census", type=Path, required=True, help="folder with dist.*.first/last")
    ap.add_argument("--dict", type=Path, default=Path("/usr/share/dict/american-english"))
    args = ap.parse_args()

    given, family = _faker_names()
    given |= _census(args.census, "dist.male.first", 10**6)
    given |= _census(args.census, "dist.female.first", 10**6)
    given |= set(EXTRA_GIVEN.split())
    family |= set(EXTRA_SURNAMES.split())
    family |= _census(args.census, "dist.all.last", 40_000)
    words = {w.strip() for w in args.dict.open(encoding="utf-8") if w.strip().islower()}
    frequent = _census(args.census, "dist.male.first", 300)
    frequent |= _census(args.census, "dist.female.first", 300)
    common = {n for n in given | family if n.lower() in words} - frequent
    common |= set(EXTRA_COMMON.split())

    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in (
        ("given_names.txt", given),
        ("surnames.txt", family),
        ("common_words.txt", common),
        ("places.txt", _places()),
    ):
        (OUT / name).write_text("\n".join(sorted(data)) + "\n", encoding="utf-8")
        print(f"{name}: {len(data)} entries")


if __name__ == "__main__":
    main()
