"""Countries, their codes and currencies, and region codes: what the normalizers need to read places.

Small and static on purpose: enough to tell "Seoul, Korea" is a place, to turn a bare
"$" into CAD on a Canadian board, and to name the country a remote job is limited to.
"""
import re

# ISO 3166 alpha-2 → (English name, ISO 4217 currency)
COUNTRIES = {
    "US": ("United States", "USD"), "CA": ("Canada", "CAD"), "GB": ("United Kingdom", "GBP"),
    "IE": ("Ireland", "EUR"), "AU": ("Australia", "AUD"), "NZ": ("New Zealand", "NZD"),
    "FR": ("France", "EUR"), "DE": ("Germany", "EUR"), "NL": ("Netherlands", "EUR"),
    "BE": ("Belgium", "EUR"), "LU": ("Luxembourg", "EUR"), "ES": ("Spain", "EUR"),
    "PT": ("Portugal", "EUR"), "IT": ("Italy", "EUR"), "AT": ("Austria", "EUR"),
    "FI": ("Finland", "EUR"), "GR": ("Greece", "EUR"), "EE": ("Estonia", "EUR"),
    "LV": ("Latvia", "EUR"), "LT": ("Lithuania", "EUR"), "SK": ("Slovakia", "EUR"),
    "SI": ("Slovenia", "EUR"), "HR": ("Croatia", "EUR"), "MT": ("Malta", "EUR"),
    "CY": ("Cyprus", "EUR"), "CH": ("Switzerland", "CHF"), "SE": ("Sweden", "SEK"),
    "NO": ("Norway", "NOK"), "DK": ("Denmark", "DKK"), "IS": ("Iceland", "ISK"),
    "PL": ("Poland", "PLN"), "CZ": ("Czechia", "CZK"), "HU": ("Hungary", "HUF"),
    "RO": ("Romania", "RON"), "BG": ("Bulgaria", "BGN"), "RS": ("Serbia", "RSD"),
    "UA": ("Ukraine", "UAH"), "TR": ("Turkey", "TRY"), "IL": ("Israel", "ILS"),
    "AE": ("United Arab Emirates", "AED"), "SA": ("Saudi Arabia", "SAR"), "QA": ("Qatar", "QAR"),
    "EG": ("Egypt", "EGP"), "ZA": ("South Africa", "ZAR"), "NG": ("Nigeria", "NGN"),
    "KE": ("Kenya", "KES"), "MA": ("Morocco", "MAD"), "IN": ("India", "INR"),
    "PK": ("Pakistan", "PKR"), "BD": ("Bangladesh", "BDT"), "LK": ("Sri Lanka", "LKR"),
    "SG": ("Singapore", "SGD"), "MY": ("Malaysia", "MYR"), "ID": ("Indonesia", "IDR"),
    "PH": ("Philippines", "PHP"), "TH": ("Thailand", "THB"), "VN": ("Vietnam", "VND"),
    "HK": ("Hong Kong", "HKD"), "TW": ("Taiwan", "TWD"), "CN": ("China", "CNY"),
    "JP": ("Japan", "JPY"), "KR": ("South Korea", "KRW"), "MX": ("Mexico", "MXN"),
    "BR": ("Brazil", "BRL"), "AR": ("Argentina", "ARS"), "CL": ("Chile", "CLP"),
    "CO": ("Colombia", "COP"), "PE": ("Peru", "PEN"), "UY": ("Uruguay", "UYU"),
    "CR": ("Costa Rica", "CRC"), "PR": ("Puerto Rico", "USD"), "JM": ("Jamaica", "JMD"),
}
_ALIASES = {
    "usa": "US", "u.s.": "US", "u.s.a.": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "u.k.": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "korea": "KR",
    "republic of korea": "KR", "korea, republic of": "KR", "czech republic": "CZ",
    "holland": "NL", "the netherlands": "NL", "nederland": "NL", "deutschland": "DE",
    "allemagne": "DE", "espagne": "ES", "españa": "ES", "italie": "IT", "italia": "IT",
    "belgique": "BE", "belgië": "BE", "suisse": "CH", "schweiz": "CH", "österreich": "AT",
    "autriche": "AT", "royaume-uni": "GB", "états-unis": "US", "etats-unis": "US",
    "brasil": "BR", "méxico": "MX", "uae": "AE", "türkiye": "TR", "viet nam": "VN",
    "polska": "PL", "sverige": "SE", "norge": "NO", "danmark": "DK", "suomi": "FI",
    "éire": "IE", "luxemburg": "LU", "mainland china": "CN", "prc": "CN",
}
BY_NAME = {name.casefold(): code for code, (name, _) in COUNTRIES.items()}
BY_NAME.update(_ALIASES)

# First-level regions written as codes or names in addresses ("Austin, TX", "Camberwell, VIC").
REGIONS = {
    "US": "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV "
          "NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY",
    "CA": "AB BC MB NB NL NS NT NU ON PE QC SK YT",
    "AU": "ACT NSW NT QLD SA TAS VIC WA",
}
REGION_CODES = {code for codes in REGIONS.values() for code in codes.split()}
REGION_NAMES = {name.casefold() for name in (
    "California", "New York", "Texas", "Washington", "Massachusetts", "Illinois", "Florida",
    "Colorado", "Georgia", "Oregon", "Virginia", "North Carolina", "Pennsylvania", "New Jersey",
    "Ohio", "Michigan", "Arizona", "Utah", "Minnesota", "Ontario", "Quebec", "Québec",
    "British Columbia", "Alberta", "Manitoba", "Nova Scotia", "New South Wales", "Victoria",
    "Queensland", "Western Australia", "South Australia", "Tasmania", "Île-de-France",
    "Ile-de-France", "Bavaria", "Bayern", "Berlin", "North Holland", "Noord-Holland",
    "South Holland", "Zuid-Holland", "Catalonia", "Catalunya", "Lombardy", "Lombardia",
    "Auvergne-Rhône-Alpes", "Provence-Alpes-Côte d'Azur", "Occitanie", "Nouvelle-Aquitaine",
    "Hauts-de-France", "Grand Est", "Bretagne", "Pays de la Loire", "Greater London",
    "England", "Scotland", "Maharashtra", "Karnataka", "Tamil Nadu", "Telangana", "Delhi",
)}
# Big cities: a location line naming only one of these is still a place.
CITIES = {name.casefold() for name in (
    "London", "Paris", "Berlin", "Munich", "München", "Hamburg", "Amsterdam", "Rotterdam",
    "Brussels", "Bruxelles", "Madrid", "Barcelona", "Lisbon", "Lisboa", "Rome", "Milan",
    "Dublin", "Vienna", "Zurich", "Zürich", "Geneva", "Genève", "Stockholm", "Oslo",
    "Copenhagen", "Helsinki", "Warsaw", "Prague", "Budapest", "Lyon", "Marseille", "Toulouse",
    "Bordeaux", "Lille", "Nantes", "New York", "San Francisco", "Los Angeles", "Seattle",
    "Boston", "Chicago", "Austin", "Denver", "Atlanta", "Miami", "Toronto", "Vancouver",
    "Montreal", "Montréal", "Ottawa", "Calgary", "Sydney", "Melbourne", "Brisbane", "Perth",
    "Adelaide", "Auckland", "Wellington", "Singapore", "Hong Kong", "Tokyo", "Seoul",
    "Bangalore", "Bengaluru", "Mumbai", "Hyderabad", "Pune", "Tel Aviv", "Dubai",
    "São Paulo", "Mexico City", "Buenos Aires", "Cape Town", "Johannesburg",
    # more of the cities job postings name, so a place given alone (a header chip) still reads as one
    "Manchester", "Birmingham", "Leeds", "Glasgow", "Edinburgh", "Bristol", "Liverpool", "Cambridge", "Oxford",
    "Belfast", "Cardiff", "Newcastle", "Sheffield", "Nottingham", "Cork", "Galway", "Frankfurt", "Köln", "Cologne",
    "Stuttgart", "Düsseldorf", "Leipzig", "Dresden", "Hannover", "Nürnberg", "Nuremberg", "Bremen", "Essen",
    "Dortmund", "Karlsruhe", "Mannheim", "Bonn", "Münster", "Freiburg", "Graz", "Linz", "Salzburg", "Innsbruck",
    "Basel", "Bern", "Lausanne", "Lugano", "Utrecht", "Eindhoven", "The Hague", "Den Haag", "Groningen", "Leiden",
    "Antwerp", "Antwerpen", "Ghent", "Gent", "Liège", "Leuven", "Luxembourg", "Porto", "Braga", "Valencia", "Sevilla",
    "Seville", "Bilbao", "Málaga", "Malaga", "Zaragoza", "Turin", "Torino", "Bologna", "Florence", "Firenze",
    "Naples", "Napoli", "Genoa", "Nice", "Montpellier", "Strasbourg", "Rennes", "Grenoble", "Sophia Antipolis",
    "Göteborg", "Gothenburg", "Malmö", "Uppsala", "Linköping", "Bergen", "Trondheim", "Aarhus", "Odense",
    "Tampere", "Espoo", "Oulu", "Tallinn", "Riga", "Vilnius", "Kraków", "Krakow", "Wrocław", "Wroclaw", "Gdańsk",
    "Gdansk", "Poznań", "Poznan", "Łódź", "Brno", "Bratislava", "Bucharest", "Cluj-Napoca", "Sofia", "Belgrade",
    "Zagreb", "Ljubljana", "Athens", "Thessaloniki", "Istanbul", "Ankara", "Kyiv", "Kiev", "Lviv", "Reykjavik",
    "Valletta", "Nicosia", "Limassol", "Washington", "Philadelphia", "Pittsburgh", "Baltimore", "Raleigh",
    "Durham", "Charlotte", "Nashville", "Houston", "Dallas", "San Antonio", "Phoenix", "San Diego", "San Jose",
    "Oakland", "Sacramento", "Portland", "Salt Lake City", "Minneapolis", "Detroit", "Columbus", "Cleveland",
    "Cincinnati", "Indianapolis", "St. Louis", "Kansas City", "Milwaukee", "Madison", "Orlando", "Tampa",
    "New Orleans", "Las Vegas", "Boulder", "Albuquerque", "Honolulu", "Anchorage", "Brooklyn", "Jersey City",
    "Newark", "Hoboken", "Cambridge", "Palo Alto", "Mountain View", "Sunnyvale", "Menlo Park", "Redmond",
    "Bellevue", "Irvine", "Santa Monica", "Edmonton", "Winnipeg", "Quebec City", "Québec", "Halifax", "Victoria",
    "Waterloo", "Kitchener", "Hamilton", "Mississauga", "Canberra", "Hobart", "Gold Coast", "Christchurch",
    "Osaka", "Kyoto", "Fukuoka", "Busan", "Taipei", "Shanghai", "Beijing", "Shenzhen", "Guangzhou", "Manila",
    "Bangkok", "Kuala Lumpur", "Jakarta", "Ho Chi Minh City", "Hanoi", "Delhi", "New Delhi", "Gurgaon",
    "Gurugram", "Noida", "Chennai", "Kolkata", "Ahmedabad", "Karachi", "Lahore", "Dhaka", "Colombo", "Abu Dhabi",
    "Doha", "Riyadh", "Jeddah", "Cairo", "Nairobi", "Lagos", "Accra", "Casablanca", "Tunis", "Durban", "Pretoria",
    "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Porto Alegre", "Brasília", "Santiago", "Lima", "Bogotá",
    "Bogota", "Medellín", "Medellin", "Quito", "Montevideo", "Guadalajara", "Monterrey", "Tijuana", "San Juan",
    "Panama City", "San José",
)}

_TLD_COUNTRY = {
    "ca": "CA", "au": "AU", "nz": "NZ", "uk": "GB", "sg": "SG", "hk": "HK", "in": "IN",
    "ie": "IE", "fr": "FR", "de": "DE", "nl": "NL", "be": "BE", "es": "ES", "it": "IT",
    "ch": "CH", "at": "AT", "se": "SE", "no": "NO", "dk": "DK", "fi": "FI", "pl": "PL",
    "mx": "MX", "br": "BR", "za": "ZA", "jp": "JP", "my": "MY", "ph": "PH", "ae": "AE",
}
_SUBDOMAIN = re.compile(r"^([a-z]{2})\.")


def country_code(name):
    """ISO alpha-2 code of a country written as a name, alias or code; None when it is not one."""
    if not name:
        return None
    key = name.strip().strip(".").casefold()
    if len(key) == 2 and key.upper() in COUNTRIES:
        return key.upper()
    if len(key) == 3 and key in ("usa", "gbr", "can", "aus", "fra", "deu", "nld", "nzl", "irl"):
        return {"usa": "US", "gbr": "GB", "can": "CA", "aus": "AU", "fra": "FR", "deu": "DE",
                "nld": "NL", "nzl": "NZ", "irl": "IE"}[key]
    return BY_NAME.get(key)


def country_name(code_or_name):
    """English name for a country code ("CA" → "Canada"); other strings come back unchanged."""
    code = country_code(code_or_name)
    if code and len(code_or_name.strip()) <= 3:
        return COUNTRIES[code][0]
    return code_or_name.strip()


def host_country(host):
    """The country a job board's host name serves ("au.indeed.com", "jobs.example.ca"), or None."""
    host = (host or "").lower()
    if host.startswith("www."):
        host = host[4:]
    tld = host.rsplit(".", 1)[-1]
    if tld in _TLD_COUNTRY:
        return _TLD_COUNTRY[tld]
    sub = _SUBDOMAIN.match(host)
    if sub and sub.group(1) in _TLD_COUNTRY and host.count(".") >= 2:
        return _TLD_COUNTRY[sub.group(1)]
    return None


def looks_like_place(text):
    """True when a short line reads as a location ("Seoul, Korea", "Austin, TX", "Remote - Canada")."""
    if not text or len(text) > 80 or any(ch.isdigit() for ch in text.replace(" ", "")[:1]):
        return False
    parts = [p.strip(" .()") for p in re.split(r"[,·|/\-–(]", text) if p.strip(" .()")]
    if not parts or len(parts) > 5:
        return False
    for part in parts:
        key = part.casefold()
        if (country_code(part) and len(part) > 2) or key in REGION_NAMES or key in CITIES:
            return True
        if part in REGION_CODES and len(parts) > 1:
            return True
    last = parts[-1]
    # "Bristol, UK", "Lyon, FR": a country's two-letter code closing a place
    return len(parts) > 1 and len(last) == 2 and last.isupper() and bool(country_code(last))
