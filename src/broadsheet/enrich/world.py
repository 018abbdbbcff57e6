"""Built-in place names: countries and the cities news names most, as general knowledge.

The heuristics recognise a place from a cue ("in X", "X-based", "Port X",
"X Valley"); a capital used for its government ("Moscow’s commitment") has no
cue, so the best-known places are listed here. A site's gazetteer adds its own.
"""

from __future__ import annotations

COUNTRIES = """Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|
Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia|Botswana|Brazil|Brunei|Bulgaria|
Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Chad|Chile|China|Colombia|Comoros|Congo|Costa Rica|Croatia|Cuba|Cyprus|
Czechia|Czech Republic|Denmark|Djibouti|Dominica|Dominican Republic|Ecuador|Egypt|El Salvador|Eritrea|Estonia|
Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guyana|
Haiti|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Ivory Coast|Jamaica|Japan|Jordan|
Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|
Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|Moldova|Monaco|
Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Namibia|Nauru|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|
North Korea|North Macedonia|Norway|Oman|Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|
Poland|Portugal|Qatar|Romania|Russia|Rwanda|Samoa|San Marino|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|
Singapore|Slovakia|Slovenia|Somalia|South Africa|South Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|
Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Trinidad and Tobago|Tunisia|Turkey|Türkiye|
Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|United Kingdom|United States|Uruguay|Uzbekistan|Vanuatu|
Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|Britain|Great Britain|England|Scotland|Wales|Northern Ireland|
America|Europe|Africa|Asia|Antarctica|Arctic|Crimea|Donbas|Gaza|West Bank|Kashmir|Tibet|Greenland|Siberia|Balkans|
Caucasus|Middle East|Latin America|Scandinavia|Kurdistan|Hong Kong|Macau|Puerto Rico"""

CITIES = """Abu Dhabi|Accra|Addis Ababa|Algiers|Amman|Amsterdam|Ankara|Athens|Baghdad|Baku|Bangkok|Barcelona|Beijing|
Beirut|Belgrade|Berlin|Bern|Bogotá|Bogota|Brasília|Brussels|Bucharest|Budapest|Buenos Aires|Cairo|Canberra|Cape Town|
Caracas|Chicago|Copenhagen|Dakar|Damascus|Delhi|New Delhi|Dhaka|Doha|Donetsk|Dubai|Dublin|Edinburgh|Geneva|Hamburg|
Hanoi|Havana|Helsinki|Istanbul|Jakarta|Jerusalem|Johannesburg|Kabul|Karachi|Kharkiv|Kherson|Khartoum|Kinshasa|Kyiv|
Kiev|Lagos|Lima|Lisbon|London|Los Angeles|Luhansk|Lviv|Madrid|Manila|Mariupol|Melbourne|Mexico City|Milan|Minsk|
Mogadishu|Montreal|Moscow|Mumbai|Munich|Nairobi|New York|Odesa|Odessa|Oslo|Ottawa|Paris|Prague|Pyongyang|Quito|
Rabat|Riga|Rio de Janeiro|Riyadh|Rome|San Francisco|Santiago|Sarajevo|Seoul|Shanghai|Sofia|St Petersburg|
Stockholm|Sydney|Taipei|Tallinn|Tbilisi|Tehran|Tel Aviv|Tirana|Tokyo|Toronto|Tripoli|Tunis|Vancouver|Vienna|Vilnius|
Warsaw|Washington|Wellington|Yerevan|Zagreb|Zaporizhzhia|Zurich"""


def _names(block: str) -> frozenset[str]:
    return frozenset(name.strip() for name in block.replace("\n", "").split("|") if name.strip())


PLACES = _names(COUNTRIES) | _names(CITIES)
# Countries written as acronyms: places, never organisations or outlets.
PLACE_ACRONYMS = frozenset(("US", "U.S.", "UK", "U.K.", "USA", "U.S.A.", "UAE"))
