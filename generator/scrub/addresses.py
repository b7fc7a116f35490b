"""Addresses: street lines, P.O. boxes, "City, ST 12345" lines and California cities, as ``[address]``
or ``[city]``. A state alone is kept (Safe Harbor allows it); the city and the ZIP code go."""

from __future__ import annotations

import itertools
import re

from generator.scrub.keep import is_kept_word

ADDRESS = "[address]"
CITY = "[city]"

_WORD = r"[A-Z][A-Za-z'’.-]*+"
_STREET_TYPE = (
    r"(?i:Street|Avenue|Road|Boulevard|Drive|Lane|Way|Court|Place|Parkway|Highway|Circle|Terrace"
    r"|Trail|Loop|Square|Plaza|Alley|Crescent|Expressway|Freeway|Pike|Camino)"
    r"|St|Ave|Av|Rd|Blvd|Dr|Ln|Ct|Pl|Pkwy|Hwy|Cir|Ter|Trl|Sq|Pt|ST|AVE|RD|BLVD|DR|LN|HWY"
)
_UNIT = (
    r"(?:,?\s*(?:Suite|Ste\.?|Apt\.?|Apartment|Unit|Bldg\.?|Building|Floor|Fl\.?|Room|Rm\.?|Space|Spc\.?"
    r"|Lot|Trlr\.?|Trailer|#)\s*#?\s*[\w-]+)"
)
_STREET = re.compile(
    rf"(?=\d)(?<![\w/.-])(?<!\[date\] )\d{{1,6}}[A-Z]?(?:-\d{{1,4}})?\s+(?:[NSEW]\.?\s+|North\s+|South\s+|East\s+|West\s+)?"
    rf"(?:{_WORD}|\d{{1,3}}(?:st|nd|rd|th))(?:\s+{_WORD}){{0,3}}?\s+(?:{_STREET_TYPE})\b\.?"
    rf"(?:\s+(?:[NSEW]|NE|NW|SE|SW)\b\.?)?{_UNIT}*"
)
_PO_BOX = re.compile(r"\bP\.?\s?O\.?\s*Box\s+\d+\b|\bPost\s+Office\s+Box\s+\d+\b", re.IGNORECASE)
_UNIT_ALONE = re.compile(
    r"\b(?:Suite|Ste\.?|Apt\.?|Apartment|(?-i:Space|Spc\.?|Lot|Trailer|Trlr\.?))\s*#?\s*\d[\w-]*",
    re.IGNORECASE,
)
"""A unit alone: a suite, an apartment, a mobile home's space or lot ("Space 17")."""
_CITY_STATE = re.compile(
    rf"(?<![\w'’.-])(?P<city>{_WORD}(?:\s+{_WORD}){{0,2}}),\s+(?P<state>CA|Calif\.|California|[A-Z]{{2}})"
    r"(?P<end>\.?,?\s+(?:\[zip\]|\d{5}(?:-\d{4})?)|\b)"
)
_CA_CITIES = (
    "Alameda|Alhambra|Anaheim|Antioch|Bakersfield|Berkeley|Burbank|Carlsbad|Chico|Chino|Chula Vista"
    "|Citrus Heights|Clovis|Compton|Concord|Corona|Costa Mesa|Daly City|Davis|Downey|El Cajon"
    "|El Monte|Elk Grove|Escondido|Eureka|Fairfield|Fontana|Fremont|Fresno|Fullerton|Garden Grove"
    "|Glendale|Hanford|Hayward|Hemet|Huntington Beach|Inglewood|Irvine|Lancaster|Livermore|Lodi"
    "|Long Beach|Los Angeles|Madera|Manteca|Merced|Milpitas|Modesto|Montebello|Moreno Valley"
    "|Murrieta|Napa|Norwalk|Oakland|Oceanside|Ontario|Oxnard|Palmdale|Palm Springs|Pasadena"
    "|Petaluma|Pittsburg|Pomona|Porterville|Rancho Cucamonga|Redding|Redlands|Redwood City"
    "|Rialto|Richmond|Riverside|Roseville|Sacramento|Salinas|San Bernardino|San Diego"
    "|San Francisco|San Jose|San Leandro|San Mateo|San Rafael|Santa Ana|Santa Barbara"
    "|Santa Clara|Santa Clarita|Santa Cruz|Santa Maria|Santa Monica|Santa Rosa|Simi Valley"
    "|Stockton|Sunnyvale|Temecula|Thousand Oaks|Torrance|Tracy|Tulare|Turlock|Tustin|Union City"
    "|Vacaville|Vallejo|Ventura|Victorville|Visalia|Vista|Walnut Creek|West Covina|Whittier"
    "|Woodland|Yuba City|Yucaipa|Encino|Van Nuys|Sherman Oaks|Pacoima|Reseda|Northridge"
    "|Marina del Rey|Beverly Hills|Culver City|Bellflower|Lakewood|Carson|Gardena|Hawthorne"
    "|Cerritos|Pico Rivera|La Habra|Brea|Placentia|Orange County|Lake Forest|Mission Viejo"
    "|Laguna Hills|Newport Beach|San Clemente|Chino Hills|Upland|Claremont|Covina|Azusa"
    "|Glendora|Monrovia|Arcadia|Rosemead|Indio|Palm Desert|Cathedral City|Coachella|El Centro"
    "|Calexico|Yreka|Ukiah|Watsonville|Gilroy|Hollister|Monterey|Seaside|Paso Robles"
    "|San Luis Obispo|Lompoc|Camarillo|Moorpark|Lancaster|Apple Valley|Hesperia|Barstow"
    "|Delano|Lemoore|Selma|Reedley|Sanger|Dinuba|Oakdale|Ceres|Patterson|Los Banos|Atwater"
    "|Fairfax|Novato|Sonoma|Vallejo|Benicia|Martinez|Pleasanton|Dublin|San Ramon|Danville"
    "|Brentwood|Pittsburg|Oakley|Rocklin|Lincoln|Folsom|Auburn|Grass Valley|Truckee"
    # More of the state's cities and towns, the Central Valley and the coast first.
    "|Avenal|Coalinga|Corcoran|Kerman|Kingsburg|Fowler|Parlier|Orange Cove|Mendota|Firebaugh"
    "|Huron|Laton|Riverdale|Caruthers|Easton|Lindsay|Exeter|Farmersville|Woodlake|Strathmore"
    "|Terra Bella|Ducor|Earlimart|Pixley|Tipton|Arvin|Lamont|Shafter|Wasco|McFarland"
    "|Taft|Tehachapi|Ridgecrest|Mojave|California City|Rosamond|Frazier Park|Livingston"
    "|Winton|Delhi|Hilmar|Gustine|Newman|Dos Palos|Chowchilla|Mariposa|Oakhurst|Riverbank"
    "|Waterford|Hughson|Escalon|Ripon|Lathrop|Galt|Lockeport|Elk Grove|Rancho Cordova"
    "|Citrus Heights|Carmichael|Fair Oaks|Orangevale|West Sacramento|Woodland|Dixon|Winters"
    "|Suisun City|Rio Vista|Vacaville|American Canyon|St. Helena|Calistoga|Healdsburg"
    "|Windsor|Rohnert Park|Cotati|Sebastopol|Cloverdale|Lakeport|Clearlake|Willits|Fort Bragg"
    "|Arcata|Fortuna|Crescent City|Red Bluff|Corning|Orland|Willows|Colusa|Oroville"
    "|Gridley|Marysville|Wheatland|Shasta Lake|Susanville|Alturas|Quincy"
    "|Placerville|Cameron Park|Sonora|San Andreas|Angels Camp|Mammoth Lakes"
    "|Salinas|Greenfield|Soledad|Gonzales|King City|Marina|Pacific Grove|Carmel|Capitola"
    "|Scotts Valley|Morgan Hill|San Benito|Los Gatos|Saratoga|Cupertino|Campbell|Santa Clara"
    "|Mountain View|Palo Alto|Menlo Park|East Palo Alto|Burlingame|San Bruno|South San Francisco"
    "|Pacifica|Half Moon Bay|Foster City|Belmont|San Carlos|Millbrae|Alameda|Emeryville"
    "|El Cerrito|San Pablo|Pinole|Hercules|Rodeo|Crockett|Lafayette|Moraga|Orinda"
    "|Pleasant Hill|Clayton|Discovery Bay|Newark|Castro Valley|San Lorenzo|Dublin"
    "|Atascadero|Morro Bay|Grover Beach|Arroyo Grande|Pismo Beach|Nipomo|Guadalupe|Solvang"
    "|Goleta|Carpinteria|Ojai|Fillmore|Santa Paula|Port Hueneme|Simi Valley|Agoura Hills"
    "|Calabasas|Malibu|Lompoc|Lancaster|Palmdale|Santa Clarita|Valencia|Saugus|Canyon Country"
    "|San Fernando|Sylmar|Panorama City|North Hollywood|Studio City|Tarzana|Woodland Hills"
    "|Canoga Park|Chatsworth|Granada Hills|Sun Valley|Tujunga|La Crescenta|La Canada"
    "|Altadena|Sierra Madre|San Gabriel|Temple City|El Monte|Baldwin Park|La Puente"
    "|Hacienda Heights|Rowland Heights|Diamond Bar|San Dimas|La Verne|Montclair"
    "|Chino|Fontana|Rialto|Colton|Loma Linda|Grand Terrace|Jurupa Valley|Norco"
    "|Eastvale|Perris|Menifee|Lake Elsinore|Wildomar|Canyon Lake|Beaumont|Banning"
    "|Desert Hot Springs|Twentynine Palms|Yucca Valley|Adelanto|Big Bear Lake|Blythe"
    "|Brawley|Holtville|Calipatria|Westmorland|Chula Vista|National City|Imperial Beach"
    "|La Mesa|Lemon Grove|Santee|Poway|San Marcos|Encinitas|Solana Beach|Del Mar|Fallbrook"
    "|Ramona|Lakeside|Spring Valley|Bonita|Coronado|Compton|Lynwood|South Gate"
    "|Huntington Park|Bell Gardens|Maywood|Cudahy|Paramount|Downey|Norwalk|La Mirada"
    "|Santa Fe Springs|Whittier|Montebello|Monterey Park|Alhambra|Rosemead|Inglewood"
    "|Hawthorne|Lawndale|Redondo Beach|Hermosa Beach|Manhattan Beach|El Segundo|Torrance"
    "|Lomita|San Pedro|Wilmington|Harbor City|Rancho Palos Verdes|Signal Hill|Lakewood"
    "|Cypress|Los Alamitos|Seal Beach|Westminster|Fountain Valley|Garden Grove|Stanton"
    "|Buena Park|La Palma|Yorba Linda|Villa Park|Laguna Beach|Laguna Niguel|Dana Point"
    "|San Juan Capistrano|Rancho Santa Margarita|Aliso Viejo|Ladera Ranch"
)
_CITIES = frozenset(
    city for city in _CA_CITIES.split("|") if not (" " not in city and is_kept_word(city))
)
"""The cities by name; one that is also a kept word (a drug, a state) is left out."""
_LONGEST_CITY = max(len(city.split()) for city in _CITIES)
_CITY_FIRST_WORDS = frozenset(city.split()[0] for city in _CITIES)
_CITY_WORD = re.compile(r"(?<![\w'’-])(?:St\.|[A-Z][a-z]+|del|de|la)(?![\w'’-])")


def scrub_addresses(text: str) -> str:
    """Street addresses, P.O. boxes, "City, ST 12345" and known California cities replaced."""
    text = _STREET.sub(ADDRESS, text)
    text = _PO_BOX.sub(ADDRESS, text)
    text = _UNIT_ALONE.sub(ADDRESS, text)
    if "," in text:
        text = _CITY_STATE.sub(_city_state, text)
    return _replace_cities(text)


def _replace_cities(text: str) -> str:
    """Known cities replaced, looked up word by word (a set, not an alternation of hundreds of
    names): at each capitalised word, the longest run of up to four words that names a city."""
    words = list(_CITY_WORD.finditer(text))
    pieces: list[str] = []
    last = index = 0
    while index < len(words):
        run = _city_run(text, words, index) if words[index][0] in _CITY_FIRST_WORDS else 0
        if run:
            pieces += [text[last : words[index].start()], CITY]
            last, index = words[index + run - 1].end(), index + run
        else:
            index += 1
    return "".join(pieces) + text[last:] if pieces else text


def _city_run(text: str, words: list[re.Match[str]], index: int) -> int:
    """How many words from ``index`` name a city (0 if none), the longest first."""
    for length in range(min(_LONGEST_CITY, len(words) - index), 0, -1):
        run = words[index : index + length]
        if any(text[a.end() : b.start()] != " " for a, b in itertools.pairwise(run)):
            continue
        if " ".join(match[0] for match in run) in _CITIES:
            return length
    return 0


def _city_state(match: re.Match[str]) -> str:
    words = match["city"].split()
    while words and is_kept_word(words[0]):
        words.pop(0)
    if not words or any(is_kept_word(word) for word in words):
        return match[0]
    prefix = match["city"][: len(match["city"]) - len(" ".join(words))]
    state = match["state"]
    has_zip = any(char.isdigit() or char == "[" for char in match["end"])
    if state.isupper() and len(state) == 2 and state not in _STATE_CODES:
        return match[0]
    if state in _DEGREE_LIKE and not has_zip:
        return match[0]  # "Smith, MD" is a name with a degree: the name detector's
    end = " [zip]" if has_zip else match["end"]
    return f"{prefix}{CITY}, {state}{end}"


_STATE_LIST = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY"
    " NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC"
)
_STATE_CODES = frozenset(_STATE_LIST.split())
_DEGREE_LIKE = frozenset({"MD", "PA", "DC", "MS", "MA", "OR", "IN", "ME", "OK", "HI", "DE"})
