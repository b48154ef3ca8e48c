"""Places of the generated data set: regions, provinces and towns with their approximate coordinates.

Each province is (name, latitude, longitude, towns); generated points stay within a few kilometres of
the provincial capital, so they fall inside their region.
"""

Province = tuple[str, float, float, tuple[str, ...]]

ITALY: dict[str, tuple[Province, ...]] = {
    "Piemonte": (
        ("Torino", 45.070, 7.686, ("Torino", "Moncalieri", "Rivoli", "Chieri", "Pinerolo", "Ivrea")),
        ("Cuneo", 44.384, 7.542, ("Cuneo", "Alba", "Bra", "Saluzzo", "Mondovì")),
        ("Asti", 44.900, 8.207, ("Asti", "Canelli", "Nizza Monferrato")),
        ("Novara", 45.446, 8.622, ("Novara", "Borgomanero", "Galliate")),
    ),
    "Valle d'Aosta": (("Aosta", 45.737, 7.320, ("Aosta", "Saint-Vincent", "Courmayeur", "Châtillon")),),
    "Lombardia": (
        ("Milano", 45.464, 9.190, ("Milano", "Sesto San Giovanni", "Rho", "Legnano", "Abbiategrasso")),
        ("Bergamo", 45.698, 9.677, ("Bergamo", "Treviglio", "Clusone", "Seriate")),
        ("Brescia", 45.541, 10.212, ("Brescia", "Desenzano del Garda", "Chiari", "Salò")),
        ("Mantova", 45.156, 10.791, ("Mantova", "Sabbioneta", "Castiglione delle Stiviere")),
        ("Pavia", 45.185, 9.158, ("Pavia", "Vigevano", "Voghera")),
    ),
    "Trentino-Alto Adige": (
        ("Trento", 46.070, 11.121, ("Trento", "Rovereto", "Riva del Garda", "Pergine Valsugana")),
        ("Bolzano", 46.498, 11.354, ("Bolzano", "Merano", "Bressanone", "Brunico")),
    ),
    "Veneto": (
        ("Venezia", 45.495, 12.245, ("Venezia", "Mestre", "Chioggia", "San Donà di Piave")),
        ("Verona", 45.438, 10.992, ("Verona", "Villafranca di Verona", "Legnago", "Bardolino")),
        ("Padova", 45.406, 11.877, ("Padova", "Este", "Monselice", "Cittadella")),
        ("Vicenza", 45.548, 11.548, ("Vicenza", "Bassano del Grappa", "Schio", "Thiene")),
        ("Treviso", 45.666, 12.243, ("Treviso", "Castelfranco Veneto", "Conegliano", "Asolo")),
    ),
    "Friuli-Venezia Giulia": (
        ("Udine", 46.063, 13.235, ("Udine", "Cividale del Friuli", "Codroipo", "Gemona del Friuli")),
        ("Trieste", 45.650, 13.777, ("Trieste", "Muggia", "Duino-Aurisina")),
        ("Pordenone", 45.956, 12.660, ("Pordenone", "Sacile", "Spilimbergo")),
    ),
    "Liguria": (
        ("Genova", 44.405, 8.946, ("Genova", "Chiavari", "Rapallo", "Sestri Levante")),
        ("La Spezia", 44.102, 9.824, ("La Spezia", "Sarzana", "Lerici")),
        ("Savona", 44.309, 8.477, ("Savona", "Albenga", "Finale Ligure")),
    ),
    "Emilia-Romagna": (
        ("Bologna", 44.494, 11.343, ("Bologna", "Imola", "Casalecchio di Reno", "San Lazzaro di Savena",
                                     "Budrio", "Pieve di Cento")),
        ("Modena", 44.647, 10.925, ("Modena", "Carpi", "Sassuolo", "Vignola", "Mirandola")),
        ("Parma", 44.801, 10.328, ("Parma", "Fidenza", "Salsomaggiore Terme", "Langhirano")),
        ("Ferrara", 44.838, 11.620, ("Ferrara", "Cento", "Comacchio", "Argenta")),
        ("Ravenna", 44.418, 12.204, ("Ravenna", "Faenza", "Lugo", "Cervia")),
        ("Rimini", 44.060, 12.566, ("Rimini", "Riccione", "Santarcangelo di Romagna")),
    ),
    "Toscana": (
        ("Firenze", 43.770, 11.255, ("Firenze", "Empoli", "Fiesole", "Prato", "Sesto Fiorentino")),
        ("Siena", 43.318, 11.331, ("Siena", "Montepulciano", "Poggibonsi", "San Gimignano")),
        ("Pisa", 43.716, 10.402, ("Pisa", "Volterra", "San Miniato", "Pontedera")),
        ("Lucca", 43.842, 10.503, ("Lucca", "Viareggio", "Pietrasanta", "Barga")),
        ("Arezzo", 43.463, 11.880, ("Arezzo", "Cortona", "Sansepolcro", "Montevarchi")),
    ),
    "Umbria": (
        ("Perugia", 43.112, 12.389, ("Perugia", "Assisi", "Gubbio", "Foligno", "Spoleto")),
        ("Terni", 42.563, 12.643, ("Terni", "Orvieto", "Narni", "Amelia")),
    ),
    "Marche": (
        ("Ancona", 43.616, 13.519, ("Ancona", "Jesi", "Senigallia", "Fabriano")),
        ("Pesaro e Urbino", 43.910, 12.913, ("Pesaro", "Urbino", "Fano", "Urbania")),
        ("Macerata", 43.300, 13.453, ("Macerata", "Recanati", "Tolentino", "Camerino")),
    ),
    "Lazio": (
        ("Roma", 41.893, 12.483, ("Roma", "Tivoli", "Frascati", "Fiumicino", "Anzio", "Bracciano")),
        ("Viterbo", 42.418, 12.105, ("Viterbo", "Tarquinia", "Civita Castellana", "Tuscania")),
        ("Latina", 41.467, 12.904, ("Latina", "Terracina", "Sermoneta", "Gaeta")),
    ),
    "Abruzzo": (
        ("L'Aquila", 42.350, 13.400, ("L'Aquila", "Sulmona", "Avezzano", "Scanno")),
        ("Pescara", 42.462, 14.216, ("Pescara", "Montesilvano", "Loreto Aprutino")),
        ("Chieti", 42.351, 14.168, ("Chieti", "Lanciano", "Vasto", "Ortona")),
    ),
    "Molise": (
        ("Campobasso", 41.561, 14.668, ("Campobasso", "Termoli", "Larino")),
        ("Isernia", 41.594, 14.233, ("Isernia", "Agnone", "Venafro")),
    ),
    "Campania": (
        ("Napoli", 40.852, 14.268, ("Napoli", "Pozzuoli", "Ercolano", "Torre del Greco", "Nola", "Sorrento")),
        ("Salerno", 40.683, 14.768, ("Salerno", "Amalfi", "Cava de' Tirreni", "Paestum")),
        ("Caserta", 41.073, 14.333, ("Caserta", "Capua", "Santa Maria Capua Vetere")),
        ("Benevento", 41.130, 14.782, ("Benevento", "Sant'Agata de' Goti", "Telese Terme")),
    ),
    "Puglia": (
        ("Bari", 41.117, 16.872, ("Bari", "Altamura", "Monopoli", "Polignano a Mare", "Molfetta")),
        ("Lecce", 40.352, 18.170, ("Lecce", "Otranto", "Gallipoli", "Nardò")),
        ("Taranto", 40.464, 17.247, ("Taranto", "Martina Franca", "Grottaglie")),
        ("Foggia", 41.462, 15.545, ("Foggia", "Lucera", "Manfredonia", "San Severo")),
    ),
    "Basilicata": (
        ("Potenza", 40.640, 15.806, ("Potenza", "Melfi", "Venosa", "Lagonegro")),
        ("Matera", 40.666, 16.604, ("Matera", "Policoro", "Pisticci", "Bernalda")),
    ),
    "Calabria": (
        ("Cosenza", 39.298, 16.254, ("Cosenza", "Rossano", "Castrovillari", "Paola")),
        ("Catanzaro", 38.910, 16.588, ("Catanzaro", "Lamezia Terme", "Soverato")),
        ("Reggio Calabria", 38.111, 15.647, ("Reggio Calabria", "Palmi", "Gerace", "Locri")),
    ),
    "Sicilia": (
        ("Palermo", 38.116, 13.361, ("Palermo", "Monreale", "Cefalù", "Bagheria", "Termini Imerese")),
        ("Catania", 37.502, 15.087, ("Catania", "Acireale", "Caltagirone", "Paternò")),
        ("Siracusa", 37.075, 15.287, ("Siracusa", "Noto", "Augusta", "Palazzolo Acreide")),
        ("Agrigento", 37.311, 13.577, ("Agrigento", "Sciacca", "Licata")),
        ("Trapani", 38.018, 12.514, ("Trapani", "Marsala", "Erice", "Mazara del Vallo")),
    ),
    "Sardegna": (
        ("Cagliari", 39.224, 9.122, ("Cagliari", "Quartu Sant'Elena", "Pula", "Villasimius")),
        ("Sassari", 40.727, 8.560, ("Sassari", "Alghero", "Porto Torres", "Olbia")),
        ("Nuoro", 40.321, 9.331, ("Nuoro", "Orgosolo", "Dorgali", "Mamoiada")),
    ),
}

EUROPE: dict[str, dict[str, tuple[Province, ...]]] = {
    "FR": {
        "Île-de-France": (("Paris", 48.857, 2.352, ("Paris", "Saint-Denis", "Versailles", "Boulogne-Billancourt")),),
        "Provence-Alpes-Côte d'Azur": (
            ("Bouches-du-Rhône", 43.297, 5.381, ("Marseille", "Aix-en-Provence", "Arles")),
            ("Alpes-Maritimes", 43.710, 7.262, ("Nice", "Antibes", "Grasse", "Menton")),
        ),
        "Auvergne-Rhône-Alpes": (
            ("Rhône", 45.764, 4.836, ("Lyon", "Villeurbanne", "Villefranche-sur-Saône")),
            ("Isère", 45.188, 5.725, ("Grenoble", "Vienne", "Voiron")),
        ),
        "Occitanie": (("Haute-Garonne", 43.605, 1.444, ("Toulouse", "Muret", "Saint-Gaudens")),),
    },
    "ES": {
        "Andalucía": (
            ("Sevilla", 37.389, -5.984, ("Sevilla", "Carmona", "Écija", "Osuna")),
            ("Granada", 37.177, -3.599, ("Granada", "Guadix", "Loja")),
        ),
        "Cataluña": (
            ("Barcelona", 41.387, 2.170, ("Barcelona", "Sabadell", "Terrassa", "Vic")),
            ("Girona", 41.979, 2.822, ("Girona", "Figueres", "Olot")),
        ),
        "Comunidad de Madrid": (("Madrid", 40.417, -3.704, ("Madrid", "Alcalá de Henares", "Aranjuez")),),
        "Galicia": (("A Coruña", 43.362, -8.411, ("A Coruña", "Santiago de Compostela", "Ferrol")),),
    },
    "PT": {
        "Norte": (
            ("Porto", 41.158, -8.629, ("Porto", "Vila Nova de Gaia", "Matosinhos")),
            ("Braga", 41.545, -8.427, ("Braga", "Guimarães", "Barcelos")),
        ),
        "Área Metropolitana de Lisboa": (("Lisboa", 38.722, -9.139, ("Lisboa", "Sintra", "Cascais", "Almada")),),
        "Alentejo": (("Évora", 38.571, -7.909, ("Évora", "Estremoz", "Montemor-o-Novo")),),
    },
}

# Jitter around the provincial capital, in degrees (about 12 km): points stay inside the region.
JITTER = 0.11
