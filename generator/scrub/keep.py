"""Must-keep protections: the words and tokens that make a precedent useful and are never scrubbed.

Two tools. ``KEEP_WORDS`` is a vocabulary (lower case) of words that are never part of a person's or
an organisation's name in a letter: medical terms, drug names, eponyms, guideline names, anatomy,
US states, months, specialties, and the common English words that begin sentences. The name
detectors drop candidate words found here. ``protect`` hides must-keep tokens (drug strengths, pain
scores, ICD and CPT codes, spinal levels, frequencies, guideline pages, eponym tests) behind
placeholders while the fuzzy detectors run, and ``restore`` puts them back.
"""

from __future__ import annotations

import functools
import re

_MEDICAL = """
acoem mtus odg acupuncture aquatic therapy physical occupational chiropractic chiropractor
manipulation massage injection injections epidural steroid facet medial branch block blocks
radiofrequency ablation rhizotomy neurotomy trigger point botox toradol ketorolac b12 cortisone
mri mra ct emg ncv ncs x-ray xray xrays radiograph radiographs ultrasound bone scan scans dexa
ekg ecg eeg cbc cmp tsh lab labs urine drug screen screening test testing toxicology
norco vicodin percocet oxycontin oxycodone hydrocodone tramadol ultram ultracet tylenol
codeine morphine fentanyl duragesic butrans buprenorphine suboxone methadone dilaudid
hydromorphone nucynta tapentadol opana oxymorphone kadian lyrica pregabalin neurontin gabapentin
topamax topiramate cymbalta duloxetine elavil amitriptyline nortriptyline pamelor trazodone
desyrel ambien zolpidem lunesta sonata xanax alprazolam valium diazepam klonopin clonazepam
ativan lorazepam soma carisoprodol flexeril cyclobenzaprine fexmid amrix skelaxin metaxalone
robaxin methocarbamol zanaflex tizanidine baclofen norflex orphenadrine parafon naproxen
anaprox naprosyn ibuprofen motrin advil meloxicam mobic celebrex celecoxib diclofenac voltaren
etodolac lodine nabumetone relafen indomethacin ketoprofen flurbiprofen aspirin prilosec
omeprazole nexium esomeprazole protonix pantoprazole ranitidine zantac pepcid famotidine
lidoderm lidocaine terocin flector pennsaid capsaicin menthoderm methyl salicylate ben-gay
biofreeze medrox compound compounded cream creams gel patch patches transdermal topical
senokot colace docusate sennosides miralax linzess movantik amitiza relistor colace
zofran ondansetron phenergan promethazine wellbutrin bupropion prozac fluoxetine zoloft
sertraline lexapro escitalopram celexa citalopram effexor venlafaxine paxil paroxetine
abilify seroquel quetiapine restoril temazepam provigil nuvigil lisinopril metformin
synvisc orthovisc euflexxa hyaluronic prp platelet tens h-wave interferential unit units
dme brace braces orthosis orthotic orthotics splint cane walker wheelchair scooter cushion
pillow mattress bed hot cold cryotherapy vascutherm game ready polar care cpm
functional restoration program frp capacity evaluation fce work hardening conditioning
cognitive behavioral cbt psychotherapy psychological psychiatric psychiatrist psychologist
biofeedback hypnotherapy consultation consult referral follow-up follow visit visits office
pain management anesthesiology orthopedic orthopedics orthopaedic orthopaedics surgery surgeon
spine spinal neurosurgery neurosurgeon neurology neurologist podiatry podiatrist rheumatology
internal medicine family practice general preventive occupational emergency physical
rehabilitation physiatry pm&r psychiatry psychology dentistry dental ophthalmology optometry
otolaryngology urology gastroenterology cardiology pulmonology dermatology plastic hand
sports chronic acute disability disabled temporary permanent total partial modified duty
lumbar cervical thoracic sacral coccyx sacroiliac sacrum spine shoulder shoulders elbow elbows
wrist wrists hand hands finger fingers thumb thumbs hip hips knee knees ankle ankles foot feet
toe toes neck back head jaw tmj chest abdomen groin pelvis leg legs arm arms forearm
rotator cuff labrum labral meniscus meniscal acl pcl mcl lcl tendon ligament carpal tunnel
cubital trigger plantar fasciitis sciatica radiculopathy radicular stenosis spondylosis
spondylolisthesis herniation herniated protrusion bulge disc discs disk degenerative disease
sprain strain contusion fracture tear tendinitis tendonitis tendinosis bursitis arthritis
osteoarthritis impingement syndrome myofascial fibromyalgia neuropathy insomnia depression
anxiety hypertension diabetes obesity gerd headache headaches migraine concussion tbi ptsd
paraspinal trapezius deltoid biceps triceps quadriceps hamstring gluteal piriformis
tenderness spasm spasms range motion flexion extension rotation abduction adduction
strength sensation reflexes reflex dermatome dermatomal gait heel straight raise slr
positive negative bilateral bilaterally left right anterior posterior lateral medial
arthroscopy arthroscopic arthroplasty replacement fusion laminectomy discectomy microdiscectomy
foraminotomy decompression release repair reconstruction debridement synovectomy
acromioplasty subacromial menisectomy meniscectomy chondroplasty tenotomy ganglion
preoperative postoperative pre-operative post-operative perioperative operative assistant
anesthesia clearance durable medical equipment home health care aide transportation
gym membership pool yoga pilates weight loss nutrition diet sessions session times
week weeks month months day days year years daily twice weekly monthly
milligrams mg mcg ml tablets tablet tabs tab capsules capsule refills refill quantity
theramine sentra gabadone trepadone lidopro keratek kera-tek fluriflex exoten exoten-c dendracin
xolido genicin somnicin theraflex amrix cyclophene fanatrex tabradol deprizine dicopanol synapryn
apap nalfon fenoprofen zipsor duexis vimovo conzip xartemis hysingla zohydro belbuca savella
horizant gralise qutenza zorvolex cambia sprix tivorbex vivlodex lipoderm versapro mediderm
trezix percura appetrex hypertensa sentradine laxacin flurflex tgice tg-hot ultraflex
"""

_EPONYMS = """
mcmurray mcmurray's spurling spurling's neer's phalen phalen's tinel tinel's finkelstein
finkelstein's waddell waddell's apley apley's lachman lachman's faber fabere gaenslen gaenslen's
yergason yergason's durkan durkan's lasegue lasegue's bragard braggard cozen's thessaly ober's
trendelenburg babinski babinski's hoffmann hoffmann's romberg romberg's lhermitte lhermitte's
milgram milgram's valsalva froment froment's wartenberg quervain quervain's dupuytren
dupuytren's raynaud raynaud's bankart hill-sachs colles colles' kienbock kienbock's osgood
schlatter achilles parkinson's alzheimer alzheimer's crohn crohn's lyme guyon's gerdy's
scheuermann scheuermann's paget's brown-sequard horner's schober schober's hawkins-kennedy
mckenzie feldenkrais cybex biodex jamar oswestry roland-morris mmpi mmpi-2 millon glasgow
westergren epworth hawkin's adson's jobe's kemp's speed's patrick's allen's neer hawkins'
"""

_GUIDELINES = """
mtus acoem odg official disability guidelines guideline guidelines medical treatment
utilization schedule chapter chapters section sections table tables page pages citation
treatment practice evidence based medicine chronic pain complaints low back knee leg ankle
foot shoulder elbow forearm wrist hand neck upper head eye stress mental illness pulmonary
procedure summary criteria criterion recommendations recommended recommendation independent
medical review imr maximus federal services claims administrator administrator claims
division workers' workers compensation dwc department industrial relations california code
regulations ccr labor title expert reviewer final determination decision rationale upheld
overturned medically necessary necessity request requested requests authorization authorized
rfa ur utilization review peer physician physicians provider providers doctor doctor's
primary treating ptp qme ame agreed panel qualified evaluator evaluation report reports
progress note notes record records documentation documented clinical case summary cms
medicare medicaid fda aafp aaos asa nice cochrane uptodate american college association
society academy national institute institutes health centers disease control cdc
"""

_STATES = """
alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
michigan minnesota mississippi missouri montana nebraska nevada new hampshire jersey mexico
york north carolina dakota ohio oklahoma oregon pennsylvania rhode island south tennessee
texas utah vermont virginia washington west wisconsin wyoming district columbia puerto rico
united states america us usa
"""

_CALENDAR = """
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
saturday sunday
"""

_COMMON = """
a an the this that these those there their they them he she his her hers him it its we our
you your i me my who whom whose which what when where why how and or but nor so yet for of
in on at to from by with without within into onto upon over under after before during since
until while as if then than though although because however therefore thus also further
furthermore moreover additionally finally first second third last next prior previous current
currently recent recently most more less least many much some any all each every both either
neither no not none other another such same only just even still already again once per via
according based given regarding concerning following due note noted notes per patient
patients claimant applicant employee worker injured injury industrial he's she's was were is
are be been being has have had do does did done will would shall should can could may might
must there here now today yesterday tomorrow date dated dates status plan plans history
exam examination objective subjective findings finding assessment diagnosis diagnoses
impression impressions medications medication medical treatment treatments therapy therapies
requested request review reviewed requesting treating diagnostic imaging study studies
report reported reports reporting complains complained complaint complaints continue continued
continues continuing states stated stating indicates indicated indicating reveals revealed
showed shows shown demonstrated demonstrates documented documentation recommend recommended
recommends recommending authorize authorized approved approve denied deny denial modified
certify certified non-certified noncertified partial partially guidelines guideline mtus
official disability guidelines evidence support supports supported indicated indication
indications necessary necessity medically reasonable appropriate efficacy effective benefit
benefits improvement improved functional function functioning objective subjective work
return full time part light sedentary restrictions restricted temporarily totally
permanently unable able trial course period program programs instructions education
regular normal abnormal mild moderate severe significant significantly chronic acute
new old other additional consistent inconsistent unclear clear specific general initial
ongoing long short term high low increase increased decrease decreased without with
yes no none unknown male female man woman men women gentleman lady years old age aged
office visit visits clinic hospital center centre group medical health services care
facility department unit program team staff nurse nurses case manager management
attorney attorneys employer employers insurer insurance carrier adjuster company
dear sincerely regards cc copy copies to re attn attention subject enclosed enclosure
mr mrs ms miss dr doctor prof md m.d. do d.o. dc d.c. np pa pa-c rn lvn phd psyd esq
signed prepared dictated transcribed electronically reviewer reviewers expert
state states licensure license certification certifications specialty specialties board
certified active practice years hours experience training education background
see seen saw evaluated examined treated referred referral consulted consultation
because however although therefore thus hence accordingly consequently nevertheless
left right bilateral upper lower mid middle proximal distal anterior posterior central
total number numbers times time home house family wife husband son daughter children
mother father brother sister parent parents child spouse partner
university college school institute human services national american society association
foundation council federal government public agency administration commission bureau system
systems blood lung heart kidney liver brain eye ear nose throat skin bone joint muscle nerve
citation non-mtus reference references accessed available online journal review reviews
returned returns attended presented underwent received completed started stopped developed
sustained fell slipped lifted tripped twisted worked works remains remained describes described
admits admitted walked drove arrived called visited began went came takes took uses used using
lives lived lifting pushing pulling bending carrying reached reaching followed signed
"""

_JOURNALS = """
intern med am j jama n engl bmj lancet spine phila pa surg bone joint clin orthop relat res
arch phys rehabil occup environ rheumatol neurol neurosurg anesth analg anesthesiol reg pain
physician physicians res rev syst database cochrane pract fam proc mayo ther manag psychiatry
psychiatr psychol gen hosp sleep addict subst abuse toxicol pharmacol pharmacother sci eur br
int can aust med care qual saf ergon epidemiol rehabil trauma hand wrist shoulder elbow foot ankle
arthrosc sports musculoskelet disord radiol rep suppl vol ed eds et al press university
"""
"""Words of journal titles and their abbreviations (NLM style): a citation's journal is public."""

_CLINICAL_ACRONYMS = """
rom esi esis mmi ttd tpd wpi ppi uds udt adl adls bmi crp esr ncs pmr ptp sij tfa tpi mbb mbbs
orif tka tha acdf alif tlif plif dvt copd bph nsaid nsaids ssri snri hvla icu prn bid tid qid qhs
odt cpt hcpcs icd mri emg ncv ekg ecg eeg ptsd adhd tbi csf cns mvc mva imr rfa ime qme ame pqme
ptd lbp vas nrs odi ndi phq bdi mmpi lfts cbc cmp bmp tsh hba1c tens ife nmes dme fce frp
"""
"""Clinical acronyms: never a name, and never taken for an organisation's acronym (an employer
whose initials spell ROM must not remove every range of motion)."""

KEEP_WORDS: frozenset[str] = frozenset(
    " ".join(
        (
            _MEDICAL,
            _EPONYMS,
            _GUIDELINES,
            _STATES,
            _CALENDAR,
            _COMMON,
            _JOURNALS,
            _CLINICAL_ACRONYMS,
        )
    ).split()
)
"""Lower-case words never taken for part of a name by the free-text detectors."""

_STRENGTH = (
    r"\d(?<![\d/.-]\d)(?!\d?\s?/\s?(?:19|20)\d\d(?!\d))"
    r"\d{0,3}(?:\.\d+)?\s?/\s?\d{1,4}(?:\.\d+)?(?![\d.]|\s?/\s?\d|\s?[-–]\s?\d{4})"
)
_CITATION_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
_CITATION_DATE = (
    rf"(?:19|20)\d\d(?<=[.;,] \d{{4}})\s{_CITATION_MONTH}(?:\s\d{{1,2}}(?:\s?-\s?\d{{1,2}})?)?(?![\w])"
    rf"|(?:19|20)\d\d(?<![\w/.-]\d{{4}})\s{_CITATION_MONTH}(?:\s\d{{1,2}})?(?=;)"
)
"""A year, a month and a day in that order, after a journal or publisher (". " or "; ") or before a
volume (";"): the reference style of medical citations, public and never a patient's date."""
_AUTHOR_REST = r"[a-z'’]+(?:[\s-][A-Z][a-z'’]+)?\s(?!(?:MD|DO|DC|RN|NP|PA|PT|OD|DPM|LVN|MA|MS|PHD)\b)[A-Z]{1,3}"
_AUTHOR = rf"[A-Z]{_AUTHOR_REST}"
_CITATION_AUTHORS = (
    rf"[A-Z](?<![\w'’-][A-Z]){_AUTHOR_REST}(?:,\s{_AUTHOR}){{1,8}}(?:,\s(?:et\sal|and\s\w+)\.?)?(?=[.,;])"
    rf"|[A-Z](?<![\w'’-][A-Z]){_AUTHOR_REST}(?=,\set\sal\b)"
)
"""Authors of a citation in reference style (surname and initials, two or more, or one and "et
al."): public, never a patient's name."""
_EPONYM_STEMS = (
    "McMurray|Spurling|Phalen|Tinel|Finkelstein|Waddell|Apley|Lachman|Gaenslen|Yergason|Durkan"
    "|Lasegue|Las[eè]gue|Cozen|Ober|Babinski|Hoffmann?|Romberg|Lhermitte|Milgram|Froment|Quervain"
    "|Dupuytren|Raynaud|Kienbock|Parkinson|Alzheimer|Crohn|Guyon|Gerdy|Scheuermann|Paget|Horner"
    "|Schober|Hawkins?|Adson|Jobe|Kemp|Speed|Patrick|Neer|Homan|Yeoman|Ely|Faber|Brag+ard"
    "|Prater|Kernig|Brudzinski|Noble|Ludington|Thessaly|Trendelenburg|Wartenberg|Valsalva"
)
_PROTECTED = re.compile(
    # Every branch starts with a digit, "#", a capital or "p": the look-ahead rejects every other
    # position at once instead of trying each branch there (about three times faster).
    r"(?=[\d#A-Zp])(?:"
    + "|".join(
        (
            r"\d(?<![\d/.-]\d)\d?\s?[-–]\s?\d{1,2}\s?/\s?10(?![\d/.])",  # pain ranges: 5-10/10
            # A citation's place of publication and its publisher: "Ann Arbor (MI): University of
            # Michigan Health System;", "Wellington (NZ): Accident Rehabilitation & ... Zealand;"
            r"[A-Z](?<![\w'’-][A-Z])[a-z]+(?:\s[A-Z][a-z]+){0,3}\s\([A-Z]{2}\):(?:\s[^;\n]{1,150}?;)?",
            _CITATION_AUTHORS,  # "Keith MW, Masear V, Chung KC, et al."
            _CITATION_DATE,  # a publication date: "Ann Intern Med. 2015 Feb 17;162", "AHRQ; 2013 Sep. 30."
            _STRENGTH,  # 10/325, 6/10, 5/5, 40/90 (never a month/year like 3/2014)
            r"(?:ICD-?(?:9|10)(?:-CM)?|CPT|HCPCS)\s*(?:code\s*)?#?:?\s*[A-Z]?\d[\dA-Z.]*",
            r"NDC\s*(?:#|no\.?|code)?\s*:?\s*\d{4,5}-\d{3,4}-\d{1,2}(?!\d)",  # a drug's product code
            r"[A-TV-Z](?<![\w.][A-TV-Z])\d{2}\.\d{1,4}[A-Z]?\b",  # ICD-10 with a decimal: M54.16, S83.241A
            r"\d(?<![\d.-]\d)\d\d\.\d{1,2}(?![\d.])",  # ICD-9: 724.2, 354.0
            r"[CTLS](?<!\w[CTLS])\d{1,2}(?:\s?-\s?[CTLS]?\d{1,2})?\b",  # spinal levels: L4-L5, C5-6, L5-S1
            r"\d(?<![\w-]\d)\d?\s?[xX]\s?\d{1,2}(?![\w-])",  # frequencies: 2x4, 3 x 6
            r"#\s?\d{1,4}(?![\w-]|\.\d)",  # quantities: #120 (not "SSN# 512.44.9087", "# 1EG4")
            r"(?:[Pp]ages?(?:\(s\):?)?|[Pp]p?\.|Table|Figure|Chapter)(?<![A-Za-z][A-Za-z]\.)(?<![A-Za-z][A-Za-z][A-Za-z]\.)\s+\d{1,4}(?:\s?-\s?\d{1,4})?\b",
            r"[A-Z](?<!\w[A-Z])[a-z]+(?:['’]s?)?(?:[\s-]+[A-Z][a-z]+(?:['’]s?)?)?\s+(?:and\s+[A-Z][a-z]+(?:['’]s?)?\s+)?"
            r"(?:tests?|signs?|maneuvers?|manoeuvres?|impingement|procedure|classification)\b",
            rf"(?:{_EPONYM_STEMS})(?<!\w[A-Z][a-z]{2})(?:['’]s?|s['’])(?=\s|[,.;:)]|$)",  # Spurling's, Hawkin's, Neer
        )
    )
    + ")"
)
_PLACEHOLDER = re.compile("[\ue000-\uf8ff]")
_FIRST_PLACEHOLDER = 0xE000
_MAX_PLACEHOLDERS = 0xF8FF - 0xE000


@functools.lru_cache(maxsize=64)
def protect(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with every must-keep token replaced by a placeholder character, and the tokens
    (remembered for a few texts: a record's texts are protected when names are harvested from them
    and again when they are scrubbed)."""
    kept: list[str] = []
    if _PLACEHOLDER.search(text):
        return text, ()

    def hide(match: re.Match[str]) -> str:
        if len(kept) >= _MAX_PLACEHOLDERS:
            return match.group(0)
        kept.append(match.group(0))
        return chr(_FIRST_PLACEHOLDER + len(kept) - 1)

    return _PROTECTED.sub(hide, text), tuple(kept)


def restore(text: str, kept: tuple[str, ...]) -> str:
    """Undo ``protect``: every placeholder back to its token."""
    if not kept:
        return text
    return _PLACEHOLDER.sub(lambda m: kept[ord(m.group(0)) - _FIRST_PLACEHOLDER], text)


def is_kept_word(word: str) -> bool:
    """True for a word (any case, with or without a possessive) on the must-keep vocabulary."""
    lowered = word.lower().strip(".,;:'’")
    return lowered in KEEP_WORDS or lowered.removesuffix("'s").removesuffix("’s") in KEEP_WORDS
