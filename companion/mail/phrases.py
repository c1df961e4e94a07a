"""What each kind of job mail says, in English, French, German, Spanish and Dutch: our own phrase rules.

Each rule is (weight, pattern). Patterns are written lower-case and without accents (the text is
folded the same way: "reçu" reads "recu", "Gespräch" reads "gesprach"), a space stands for any run
of white space, and every pattern is a plain regular expression without nested repetition, so that
matching is linear in the text. Weights: 6 settles it alone, 4-5 nearly, 2-3 a hint, 1 a whisper.
A rule for interview, assessment, offer or received counts for a third when its sentence makes
it conditional or negative ("if you are shortlisted, we will invite you to an interview").
"""

REJECTION = (
    # English
    (6, r"(move|moving|proceed|proceeding|go|going|continue|continuing) (forward|ahead)? ?with (other|another|a different|different|more suitable) (candidates?|applicants?|profiles?|people)"),
    (6, r"(move|moving|proceed|proceeding|go|going|continue|continuing) forward with (candidates?|applicants?|profiles?) (whose|who|that)"),
    (6, r"(not|n't|unable to|decided not to) (be |to )?(move|moving|proceed|proceeding|progress|progressing|take|taking|advance|advancing|continue|continuing) (forward |further |ahead )?(with )?(your|you)\b"),
    (5, r"(pursue|pursuing|focus on|focusing on) (other|another) (candidates?|applicants?|profiles?)"),
    (5, r"(other|another) (candidates?|applicants?) (whose|who) (experience|skills|background|qualifications|profiles?)"),
    (5, r"(position|role|vacancy|job) (has|have) (now |already )?been (filled|closed)|(we|i) have (now )?filled (the|this) (position|role)"),
    (5, r"(regret|sorry) to (inform|let you know|tell you|advise)"),
    (5, r"(not|n't) (been )?(selected|shortlisted|successful|chosen)|(were|was) unsuccessful"),
    (5, r"unable to offer you|cannot offer you|not (be )?(able to )?offer(ing)? you"),
    (4, r"decided to (go|move) in (a|another) (different )?direction"),
    (6, r"(decided|chose|chosen|opted|decision) to (go|move forward|proceed|continue) with (someone|another person|a candidate|an internal candidate|other)"),
    (4, r"(sorry|afraid) (this|that|it) (isn't|is not|wasn't|was not) (better|the news you)"),
    (4, r"not (the right|a (good|strong)?) ?(fit|match) for (this|the|our)"),
    (3, r"(keep|retain) your (cv|resume|details|profile|information|application) on (file|record)"),
    (3, r"(other|another) (candidates?|applicants?)\b"),
    (2, r"wish you (the best|every success|all the best|success|luck|well) (in|with) your (job )?(search|future|career|endeavou?rs)"),
    (2, r"unfortunately"),
    (2, r"after (careful|much|thorough|a lot of) (consideration|review|deliberation)"),
    # French
    (5, r"regret de (vous|te) (informer|annoncer|faire part)|au regret|avons le regret"),
    (6, r"ne (pas )?(pouvons|pourrons|pouvions|sommes) (pas )?(en mesure de )?(donner (une )?suite|retenir|poursuivre)"),
    (6, r"pas (ete |pu etre )?(retenue?s?|selectionnee?s?)"),
    (5, r"(ne|n'y) (pas )?(donner|donnerons|donnons) (pas )?(de )?suite|suite defavorable|reponse (negative|defavorable)"),
    (5, r"(autres?|d'autres) (candidats?|candidatures|profils?) (dont|qui|plus|correspondant)"),
    (5, r"(poste|offre|mission) (a ete|est) (deja )?pourvue?"),
    (3, r"(conserverons|garderons|conservons) (votre|ton) (cv|candidature|dossier|profil)"),
    (2, r"malheureusement"),
    (2, r"(bonne|pleine) (continuation|reussite|chance) dans (vos|votre|tes|ta) (recherches?|projets?|demarches)"),
    # German
    (5, r"leider (mussen|muessen|konnen|koennen|haben|ist es|werden) (wir |uns )?(ihnen |dir )?(mitteilen|absagen|nicht|keine|entschieden|anderweitig)"),
    (6, r"(fur|zugunsten) (eine[nrs]? )?(andere[nrs]?|weitere[nrs]?) (kandidat|bewerber|bewerbung|profil)"),
    (6, r"(nicht|keine) (weiter |mehr |naher |weiterhin )?(berucksichtigen|berucksichtigt|beruecksichtigen|in betracht)"),
    (5, r"\babsage\b|absagen (mussen|muessen)"),
    (5, r"(stelle|position|vakanz) (wurde|ist|wurde bereits|ist bereits) (bereits |inzwischen |anderweitig )?(besetzt|vergeben)"),
    (3, r"(nicht|keine) (in die |fur die )?(engere|nachste|naechste) (auswahl|runde)"),
    (2, r"\bleider\b"),
    (2, r"(viel erfolg|alles gute) (fur|bei|auf) (ihre|ihren|deine|deinen|ihrer|deiner|ihrem|deinem) (weitere[nm]? )?(berufliche[nm]? |beruflichen )?(suche|weg|zukunft|stellensuche|jobsuche|werdegang)"),
    # Spanish
    (5, r"lamentamos (comunicarte|comunicarle|informarte|informarle|decirte|decirle)|sentimos (comunicarte|comunicarle|informarte|informarle)"),
    (6, r"(otros?|otras?) (candidatos?|candidatas?|candidaturas|perfiles?) (que|cuyo|cuya|cuyos|mas)"),
    (6, r"no (ha|has|hemos) (sido )?(seleccionad[oa]|elegid[oa]|avanzad[oa])|no (ha|has) resultado (seleccionad[oa]|elegid[oa])"),
    (6, r"no (vamos a |podemos |podremos |continuaremos |seguiremos |avanzaremos )(continuar |seguir |avanzar )?(adelante )?con (tu|su) (candidatura|solicitud|proceso|postulacion)"),
    (5, r"(puesto|vacante|posicion) (ya )?(ha sido|esta) (cubiert[oa]|cerrad[oa])"),
    (3, r"(conservaremos|guardaremos|mantendremos) (tu|su) (cv|curriculum|candidatura|perfil)"),
    (2, r"lamentablemente|desafortunadamente"),
    (2, r"(mucha suerte|exito|exitos) en (tu|su) (busqueda|futuro|carrera)"),
    # Dutch
    (6, r"(niet|geen) (verder|door)( te)? (gaan|met)|niet (verder )?(mee )?verder (te )?gaan"),
    (6, r"(gekozen|gaan|kiezen|besloten|verder) (voor|met) (een )?(andere|anderen) (kandidaat|kandidaten|sollicitant|sollicitanten)"),
    (3, r"(andere|anderen) (kandidaat|kandidaten|sollicitant|sollicitanten)"),
    (5, r"\bafwijzing\b|afgewezen|(niet|geen) (ge)?(selecteerd|uitgenodigd)"),
    (5, r"(vacature|functie|positie) is (inmiddels |al )?(vervuld|ingevuld|gesloten)"),
    (2, r"\bhelaas\b"),
    (2, r"(veel )?succes (met|bij|in) (je|jouw|uw) (zoektocht|verdere|loopbaan|carriere)"),
)

INTERVIEW = (
    # English
    (6, r"(invite|inviting|invitation|invited) (you )?(to|for) ([^\s.,;!?]{1,40} ){0,4}?(interview|phone screen|screening call|call|video call|chat|conversation|meeting|round|on-?site)"),
    (6, r"(schedule|scheduling|set up|arrange|book) (an? |the |your |a time for |some time for |time for )?(first |second |final |quick |short )?(interview|call|phone screen|chat|conversation|meeting|video call)"),
    (5, r"(your|share your|send (me|us) your|let (me|us) know your|what is your|what's your) availability"),
    (5, r"(would|we'd|i'd) (like|love) to (speak|talk|chat|meet|set up a call|have a call) (with you|further)"),
    (4, r"(phone|video|technical|first|second|final|onsite|on-site|panel|hiring manager) (screen|interview|round)"),
    (4, r"(reschedule|rescheduling|move|moving) (our|the|your) (interview|call|meeting)"),
    (4, r"(pick|choose|select|book) (a|the|an) (time|slot|date)"),
    (3, r"available (for|to) (a|an) (quick |short )?(call|chat|interview|conversation)"),
    (2, r"\binterview"),
    (2, r"next (step|steps|round) (in|of) (the|our) (process|hiring process|interview process|recruitment)"),
    # French
    (5, r"\b(entretien|entrevue)"),
    (5, r"(vos|tes) disponibilites"),
    (4, r"(echanger|discuter|s'entretenir) avec (vous|toi)"),
    (4, r"(convier|inviter|convoquer|rencontrer) (a |pour )?(un |une )?(entretien|echange|rencontre)"),
    # German
    (6, r"(vorstellungsgesprach|bewerbungsgesprach|kennenlerngesprach|telefoninterview|videointerview|erstgesprach|gesprachstermin)"),
    (4, r"(einladen|einladung|laden (sie|dich) (gerne )?(zu|ein))"),
    (5, r"terminvorschlag|termin (zu |zum )?(vereinbaren|finden|abstimmen|buchen)|(ihre|deine) verfugbarkeit"),
    (3, r"\binterview"),
    # Spanish
    (6, r"\bentrevista"),
    (5, r"(tu|su) disponibilidad"),
    (4, r"(agendar|programar|coordinar|concertar) (una )?(llamada|entrevista|reunion|videollamada)"),
    # Dutch
    (6, r"(sollicitatiegesprek|kennismakingsgesprek|eerste gesprek|tweede gesprek|videogesprek|telefonisch gesprek)"),
    (4, r"\b(uitnodigen|uitnodiging)\b"),
    (5, r"(je|jouw|uw) beschikbaarheid"),
    (3, r"\bgesprek\b"),
)

ASSESSMENT = (
    (6, r"(coding|technical|online|skills?|cognitive|personality|aptitude|psychometric|logic) (challenge|assessment|test|exercise|assignment|task|questionnaire)"),
    (6, r"take-? ?home (assignment|exercise|test|challenge|task|project)"),
    (4, r"\bassessment"),
    (4, r"complete (the|this|our|a|an) (following |short |online )?(questionnaire|assessment|test|challenge|exercise|assignment)"),
    (3, r"\b(questionnaire|case study)"),
    # French
    (6, r"(test|exercice|etude de cas|cas pratique|evaluation) (technique|en ligne|a realiser|a domicile|de (competences|logique|personnalite|code))"),
    (4, r"(test|questionnaire) (d'aptitude|de personnalite|de competences)|\bcas pratique"),
    # German
    (6, r"(online-? ?test|einstufungstest|eignungstest|coding-? ?challenge|fallstudie|probeaufgabe|programmieraufgabe|personlichkeitstest|testaufgabe)"),
    (3, r"\baufgabe\b"),
    # Spanish
    (6, r"(prueba|test|ejercicio|evaluacion) (tecnic[oa]|en linea|online|de (habilidades|conocimientos|personalidad|programacion)|practic[oa])"),
    (4, r"caso practico|\bcuestionario"),
    # Dutch
    (6, r"(online test|thuisopdracht|praktijkopdracht|programmeeropdracht|capaciteitentest|persoonlijkheidstest)"),
    (3, r"\b(opdracht|vragenlijst)\b"),
)

OFFER = (
    (6, r"(pleased|happy|delighted|thrilled|excited|glad) to (extend|offer|make) (you )?(an? |the |our |a formal )?(formal |written |verbal )?(offer|position|role|job)"),
    (6, r"offer (letter|of employment)|employment (offer|contract)|\bjob offer\b|(formal|written|verbal) offer"),
    (4, r"(sign|review|accept|countersign) (the|your|our) (offer|contract|employment agreement)"),
    (3, r"welcome (aboard|to the team)"),
    # French
    (6, r"(proposition|promesse) (d'embauche|de contrat|d'emploi|de poste)|offre (d'embauche|de contrat)|contrat de travail"),
    (5, r"(plaisir|heureux|heureuse|ravis?|ravie) de (vous|te) (proposer|offrir) (le|ce|un|une) (poste|contrat|cdi|cdd)"),
    # German
    (6, r"(vertragsangebot|arbeitsvertrag|jobangebot an sie|unterbreiten (ihnen|dir) (gerne )?(ein|das) angebot)"),
    (5, r"\bzusage\b|(freuen|freue) (uns|mich),? (ihnen|dir) (die stelle|ein angebot|eine zusage)"),
    # Spanish
    (6, r"carta (de )?oferta|oferta (formal|de contratacion|de trabajo para (ti|usted)|laboral para (ti|usted))|nos complace (ofrecerte|ofrecerle)|contrato de trabajo"),
    # Dutch
    (6, r"(contractvoorstel|arbeidsvoorwaardenvoorstel|arbeidsovereenkomst|aanbiedingsbrief)"),
    (5, r"(blij|verheugd|graag) (je|jou|u) (een aanbod|de functie|de baan|een contract) (aan )?te (bieden|doen)"),
)

RECEIVED = (
    (4, r"(thank you|thanks) (so much )?for (applying|your application|submitting your application|your interest in)"),
    (5, r"(we've|we have|we) (successfully )?received your (application|resume|cv|candidacy)|application (has been |was )?(successfully )?(received|submitted)"),
    (5, r"your application (was|has been) (sent|submitted|received)|application (was )?sent to"),
    (3, r"(review|reviewing|look at|looking at) your (application|resume|cv|profile|qualifications)"),
    (2, r"(we'll|we will|someone will) (be in touch|get back to you|contact you|reach out)"),
    # French
    (5, r"(bien recu|accusons reception de) (votre|ta) candidature|candidature (a bien ete|a ete) (recue|envoyee|transmise|enregistree)"),
    (4, r"merci (pour|de) (votre|ta) candidature|merci d'avoir postule|merci de l'interet"),
    # German
    (5, r"(eingang|erhalt) (ihrer|deiner) bewerbung|bewerbung [^.\n]{0,100}?(ist|wurde) (bei uns |erfolgreich )?(eingegangen|angekommen|versendet|verschickt|ubermittelt)|(ihre|deine) bewerbung (erhalten|bekommen)|eingangsbestatigung"),
    (4, r"(vielen )?dank (fur|fuer) (ihre|deine) bewerbung|danke (fur|fuer) (ihre|deine) bewerbung|(ihr|dein) interesse an"),
    # Spanish
    (5, r"(hemos recibido|recibimos|he recibido) (correctamente )?(tu|su) (candidatura|solicitud|cv|curriculum|postulacion)|(candidatura|solicitud|postulacion) (ha sido |fue )?(recibida|enviada|registrada)"),
    (4, r"gracias (por (tu |su )?)(postularte|postularse|postular|candidatura|solicitud|interes|aplicar|inscribirte)"),
    # Dutch
    (5, r"(we hebben|wij hebben) (je|jouw|uw) sollicitatie (in goede orde )?(ontvangen|binnen)|sollicitatie (is )?(goed )?(ontvangen|verzonden|binnengekomen)|ontvangstbevestiging"),
    (4, r"(bedankt|dank (je|u) wel) voor (je|jouw|uw) (sollicitatie|interesse)"),
)

RECRUITER = (
    (5, r"(came|come) across your (profile|cv|resume|background)"),
    (5, r"(i'm|i am) (a |the )?(recruiter|sourcer|headhunter|talent partner)"),
    (4, r"(reaching|reach) out (about|regarding|to you about|because of) (a|an|the|this|our) (role|position|opportunity)"),
    (4, r"(opportunity|role|position) (that|which) (might|may|could) (interest you|be of interest|suit you)"),
    (4, r"thanks? (you )?for (following up|checking in|your (follow-up|follow up|patience))"),
    (3, r"(still|currently) (reviewing|interviewing|in the process|evaluating|gathering feedback)"),
    (5, r"je me permets de (vous|te) contacter|(votre|ton) profil (a retenu|m'a interesse|correspond)|(charge|chargee) de recrutement"),
    (4, r"merci pour (votre|ta) (relance|patience|message)"),
    (5, r"(ihr|dein) profil (ist mir aufgefallen|hat mich)|(ich bin|als) (recruiter|personalberater|headhunter)"),
    (4, r"danke (fur|fuer) (ihre|deine) (nachfrage|nachricht|geduld)"),
    (5, r"(vi|he visto|encontre) (tu|su) perfil|soy (reclutador|reclutadora|headhunter)"),
    (4, r"gracias por (tu|su) (mensaje|seguimiento|paciencia)"),
    (5, r"(je|jouw|uw) profiel (viel|kwam)|ik ben (recruiter|intercedent)"),
    (4, r"bedankt voor (je|jouw|uw) (bericht|mail|geduld|follow-up)"),
)

# Not about an application the person sent: job alerts (which name employers), newsletters, accounts, surveys.
OTHER = (
    (6, r"job alert|jobs? (you may|you might|that may|that might) (like|be interested in|interest you)|recommended (jobs|for you)|jobs? (for you|based on your|matching your)|new jobs (for|at|matching|in|near|like)|\d+ (new )?(jobs|positions|openings|roles) (for you|matching|near|in|at|like)|similar jobs|jobs you (viewed|saved)|top job picks"),
    (6, r"alertes? (emploi|e-?mail)|offres? (d'emploi )?(qui (pourraient|peuvent) (vous|te) (interesser|plaire)|recommandees|similaires|pour (vous|toi))|nouvelles offres|offres du jour"),
    (6, r"jobempfehlung|job-? ?alarm|jobagent|neue (jobs|stellenangebote)|passende (jobs|stellen)|stellenangebote (fur|fuer) (sie|dich)|jobs, die zu (ihnen|dir) passen"),
    (6, r"alertas? de empleo|ofertas (de empleo )?(recomendadas|que (te|le) (pueden|podrian) interesar|similares|para (ti|usted))|nuevas ofertas|empleos (recomendados|para (ti|usted))"),
    (6, r"vacature-? ?alert|vacaturemelding|nieuwe vacatures|vacatures (die bij (je|jou|u) passen|voor (jou|u))|aanbevolen vacatures"),
    (6, r"(reset|change|forgot|forgotten) (your )?password|verify your (email|account|e-mail|address)|confirm your (email|account|e-mail|address)|verification code|one-time (code|password)|mot de passe|passwort|contrasena|wachtwoord|bestatigen sie ihre e-mail"),
    (5, r"(candidate|applicant) (experience )?survey|(tell us|share) (about )?your (candidate )?(experience|feedback)|how (did we do|was your (experience|application experience))|rate your (experience|application)|\benquete de satisfaction|\bumfrage\b|\bencuesta\b|tevredenheidsonderzoek"),
    (4, r"\bnewsletter|\bwebinar|(weekly|monthly) (digest|roundup|update)|\bunsubscribe from this"),
    (4, r"(viewed|looked at) your (profile|application)|your (application|profile) was viewed|who viewed your profile|(complete|finish) your (profile|application)|(profile|application) (is )?incomplete"),
)

KIND_RULES = {"rejection": REJECTION, "interview": INTERVIEW, "assessment": ASSESSMENT, "offer": OFFER,
              "received": RECEIVED, "recruiter": RECRUITER, "other": OTHER}

# Words that make a sentence conditional or negative, for the discount described above.
HEDGES = (r"\b(if|should|once|whether|when|in case|not|n't|no|si|lorsque|pas|wenn|falls|sobald|nicht|kein\w*|"
          r"cuando|en caso|no|als|indien|zodra|niet|geen)\b")
# A person writing about the job search, when no rule decides: what "recruiter" falls back to.
JOB_WORDS = (r"\b(role|position|application|candidacy|opportunity|opening|interview|hiring|vacancy|poste|candidature|"
             r"recrutement|stelle|bewerbung|position|puesto|candidatura|vacante|proceso|vacature|functie|sollicitatie)\b")
# Where a reply's quotation of earlier mail begins, in the five languages (folded like the text).
QUOTE_START = (r"(?m)^ *(on [^\n]{1,200} wrote:|le [^\n]{1,200} a ecrit ?:|am [^\n]{1,200} schrieb[^\n]{0,200}:|"
               r"el [^\n]{1,200} escribio:|op [^\n]{1,200} schreef[^\n]{0,200}:|-{2,} ?(original message|message d'origine|"
               r"ursprungliche nachricht|mensaje original|oorspronkelijk bericht) ?-{2,}|(from|de|von|van): [^\n]{1,200}\n *(sent|envoye|gesendet|enviado|verzonden|date|datum|fecha):)")
