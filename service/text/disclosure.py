"""Disclosure check: does the text reveal abuse, neglect or self-harm that may be current?

A transparent rule system, tuned for recall (a missed disclosure can cost a life; a false alarm costs
a duty worker a minute):

1. Harm cues: multilingual phrase patterns per Care Act category (and self-harm) in English
   (including SMS spellings), Urdu (Arabic script and Roman Urdu), Punjabi (Gurmukhi and Shahmukhi),
   Gujarati, Polish, Arabic, Bengali and Romanian. Each match is kept as evidence: the exact words
   from the original text.
2. Figurative uses ("murder a pint", "I'll scream") are removed before matching.
3. Resolution cues ("dealt with", "hasn't been back since", "out of my life", "nobody has ever hurt")
   lower a flag only when the text has no sign that the harm goes on ("still", "again", "keeps",
   "since the enquiry closed", "last night", ...). Recall first: in doubt, flag.

The category is that of the strongest matched cue group (self-harm first). The original text is
never changed; evidence spans are copied from it.

disclosure-rules-2 (see the README, "Understanding the free text" for the blind figures) adds: a broad second tier of harm
cues in every language (BROAD_EN / BROAD_OTHER), blanking of other senses, hypotheticals and
news/TV/training sentences, a stricter "clearly resolved" rule (``_ongoing``), and a small linear
classifier tier shipped in models/disclosure/ that adds flags the rules miss (``_classifier_tier``).
disclosure-rules-3 splits sentences at the Arabic question mark, the ellipsis character and the
Devanagari and full-width stops too, so a news sentence no longer hides the one after it.
disclosure-rules-4 reads money taken or hidden as financial abuse whoever takes it (it was domestic), and
knows harm told in the third person ("Mum wants to end her life", LATE_EN); "talks about" and "are used
to" are no longer read as a news talk or as the past.
disclosure-rules-5 reads English with an accent put on a letter ("kíll myself") as the plain words.
disclosure-rules-6 keeps the classifier tier off a text made only of thanks and greetings ("আপনাকে ধন্যবাদ").
disclosure-rules-7 has the classifier tier read a translation too (as English), and not read a text of fewer
than three letters ("100%", a score sent by SMS, was psychological abuse); and it hears "I am not safe", "not safe"
and "I no longer feel safe" (only "don't feel safe" and "not safe at/in/with" were cues), in every language served.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

try:  # RE2 gates the big lexicon scans (see _Gated); without it the check is the same, only slower
    import re2 as _re2
except ImportError:  # pragma: no cover - google-re2 is a dependency
    _re2 = None

import numpy as np

from .lookalikes import unaccented

VERSION = "disclosure-rules-7"

CATEGORIES = ("self_harm", "sexual", "modern_slavery", "domestic", "physical", "financial",
              "discriminatory", "organisational", "neglect", "self_neglect", "psychological")

_EN_PRON = r"(?:me|him|her|them|us|my\s+\w+|his\s+\w+|her\s+\w+|mum|dad|nan|residents?)"

# English (and English SMS) cues. Word-boundary patterns, case-insensitive.
EN: dict[str, list[str]] = {
    "self_harm": [
        "tired\\s+of\\s+(?:living|life|being\\s+alive)", "giv(?:en|ing|es)\\s+away\\s+(?:her|his|my|all\\s+(?:her|his|my))\\s+(?:things|belongings|stuff|possessions)",
        "(?:go\\s+to\\s+sleep|sleep)\\s+and\\s+never\\s+wake\\s+up", "never\\s+wake\\s+up", "(?:don'?t|dont)\\s+want\\s+to\\s+wake\\s+up",
        "do\\s+something\\s+(?:stupid|silly|daft)", "(?:end|ending)\\s+it\\s+(?:tonight|soon|all)", "can'?t\\s+(?:cope|take\\s+it)\\s+any\\s*more", "(?:goodbye|say\\s+goodbye)\\s+to\\s+(?:everyone|you\\s+all)",
        # weak cues (broad single phrases): recall first
        "stockpil\\w*", "disappear\\s+for\\s+(?:good|ever)", "(?:don'?t|dont|can'?t|cant)\\s+see\\s+(?:the|any)\\s+point", "no\\s+point\\s+(?:any\\s*more|in\\s+anything|to\\s+anything|in\\s+me)", "give\\s+up\\s+on\\s+(?:life|everything)", "not\\s+be\\s+(?:here|around)\\s+(?:much\\s+longer|any\\s*more|for\\s+long)", "(?:kill|killing|end|ending)\\s+(?:my|her|him)sel(?:f|ves)", "sleep\\s+and\\s+not\\s+wake",
        "(?:taking|take|swallow\\w*)\\s+(?:all\\s+)?(?:my|the|her|his)\\s+(?:pills|tablets|meds)\\s+(?:at\\s+once|together|in\\s+one\\s+go)", "all\\s+my\\s+(?:pills|tablets)\\s+at\\s+once", "thinking\\s+(?:about|of)\\s+(?:ending|dying|killing|death|suicide|taking\\s+my\\s+(?:own\\s+)?life)", "nobody\\s+would\\s+(?:miss|care\\s+if)", "no\\s*one\\s+would\\s+(?:miss|care\\s+if)", "take\\s+my\\s+(?:own\\s+)?life", "harm(?:ing)?\\s+my\\s*self", "don'?t\\s+want\\s+to\\s+be\\s+alive", "wish\\s+i\\s+(?:wasn'?t|was\\s+not)\\s+(?:here|alive|born)", "(?:life|living)\\s+(?:isn'?t|is\\s+not)\\s+worth", "cut(?:ting)?\\s+(?:my|her|him)sel(?:f|ves)", "burn(?:ing|s|t)?\\s+(?:my|her|him)sel(?:f|ves)", "(?:noose|ligature)", "tried\\s+to\\s+(?:kill|hang|drown)\\s+(?:my|her|him)",
        r"end(?:ing)?\s+(?:it|it\s+all|my\s+life|things)", r"kill(?:ing)?\s+my\s*self", r"suicid\w*",
        r"want(?:s|ed)?\s+(?:to|2)\s+die", r"wanna\s+die", r"(?:don'?t|do\s+not|dont)\s+want\s+(?:to|2)\s+(?:be\s+here|live|wake\s+up|go\s+on)",
        r"better\s+off\s+dead", r"no\s+point\s+(?:in\s+)?(?:living|going\s+on|carrying\s+on)",
        r"cut(?:s|ting)?\s+(?:my|her|his)\s*(?:self|wrists?|arms?|legs?)", r"self[-\s]?harm\w*",
        r"hurt(?:ing)?\s+(?:my|him|her)sel(?:f|ves)", r"overdos\w*", r"take\s+all\s+(?:my|the)\s+(?:tablets|pills)",
        r"hang\s+my\s*self", r"better\s+off\s+(?:if\s+i\s+(?:was|were)\s+(?:dead|gone)|without\s+me)", r"wish\s+i\s+(?:was|were)\s+dead", r"(?:want|going)\s+to\s+end\s+my\s+life", r"jump\s+(?:off|in\s+front)",
        r"can'?t\s+go\s+on", r"not\s+worth\s+living", r"end\s+my\s+own\s+life",
        # Relatives and meeting notes tell it in the third person ("Mum wants to end her life"); "the end of
        # her life" (end-of-life care) has "of" between and is not matched.
        r"end(?:s|ed|ing)?\s+(?:his|her|their)\s+(?:own\s+)?li(?:fe|ves)", r"take\s+(?:his|her|their)\s+own\s+li(?:fe|ves)",
    ],
    "sexual": [
        "(?:take|took|taking)\\s+(?:my|her|his|their)\\s+clothes\\s+off", "in\\s+front\\s+of\\s+him\\s+naked",
        "kiss(?:ed|es|ing)?\\s+(?:me|her|him)\\s+on\\s+the\\s+(?:lips|mouth|neck)", "(?:our|their|his|a)\\s+(?:little\\s+)?secret", "(?:touch\\w*|kiss\\w*)\\b[^.]{0,40}\\bsecret",
        # weak cues (broad single phrases): recall first
        "comments?\\s+about\\s+(?:my|her|his)\\s+(?:body|breasts?|bum|bottom|figure|legs)", "(?:asked|asks|asking)\\s+(?:me|her|him)\\s+(?:to\\s+)?(?:go\\s+out\\s+with|on\\s+a\\s+date|for\\s+a\\s+kiss|to\\s+kiss)", "expos(?:es|ed|ing)\\b", "(?:naked|undress\\w*|nude)\\b", "(?:breasts?|boobs)\\b",
        "(?:coming|came|comes|gets?|getting|got)\\s+(?:into|in)\\s+(?:my|her|his)\\s+(?:bed|room\\s+at\\s+night)", "into\\s+my\\s+room\\s+at\\s+night", "(?:watch\\w*|stares?|staring)\\s+(?:me|her|him)\\s+(?:in\\s+the\\s+shower|undress\\w*|wash\\w*|on\\s+the\\s+toilet)", "(?:show\\w*|sent|send\\w*)\\s+(?:me|her|him)\\s+(?:porn\\w*|rude\\s+(?:pictures|photos|videos)|his\\s+private)", "(?:feel|felt|feeling)\\s+(?:me|her)\\s+up", "(?:kiss\\w*|cuddl\\w*)\\s+(?:me|her|him)\\s+(?:and|when|without)", "(?:touch\\w*|rub\\w*|stroke\\w*)\\s+(?:me|her|him)\\s+(?:there|down\\s+there|inappropriately|under)", "private\\s+parts", "(?:sex|sexy)\\b", "(?:flash\\w*)\\s+(?:at\\s+)?(?:me|her|him|residents)",
        r"touch(?:es|ed|ing)?\s+(?:my|her|his|their|me|him)\s*(?:\w+\s+)?(?:leg|legs|chest|breasts?|bottom|bum|private\w*|thighs?|crotch|groin|body)?",
        r"tried\s+to\s+touch", r"sexual\w*", r"rap(?:e|ed|ing)\b", r"grop\w*", r"indecen\w*",
        r"expos(?:ed|es|ing)\s+(?:him|her)self", r"dirty\s+(?:things|talk|pictures|photos)",
        r"(?:asking|asked|asks)\s+(?:her|him|me)\s+for\s+(?:\w+\s+)?(?:photos|pictures|pics|nudes)",
        r"nudes?", r"groom\w*", r"kiss(?:ed|es|ing)?\s+(?:me|her|him)\s+(?:without|when|and)",
        r"made\s+(?:me|her|him)\s+undress", r"in\s+(?:my|her|his)\s+bed\s+(?:at\s+night|with)",
        r"molest\w*", r"inappropriate(?:ly)?\s+(?:touch\w*|comments?|photos|messages)",
        r"told\s+(?:her|him|me)\s+not\s+to\s+tell", r"sexually",
    ],
    "modern_slavery": [
        "moved\\s+into\\s+(?:my|her|his|their)\\s+(?:\\w+'?s\\s+)?(?:flat|house|home)", "taken\\s+over\\s+(?:my|her|his)\\s+(?:flat|house|home)",
        # weak cues (broad single phrases): recall first
        "nail\\s+bar|car\\s+wash|cannabis\\s+farm", "sells?\\s+drugs|selling\\s+drugs|drugs\\s+from\\s+(?:his|her|my)", "hands?\\s+all\\s+(?:her|his|my)\\s+(?:money|wages|pay)\\s+to", "(?:too\\s+scared|can'?t|cannot)\\s+to?\\s*say\\s+no", "works?\\s+(?:all\\s+(?:day|week|night)|every\\s+day)\\s+(?:and|for\\s+no)",
        r"make(?:s)?\s+(?:him|her|me|them)\s+(?:work|clean|cook)", r"(?:made|forced?)\s+(?:him|her|me|them)?\s*to\s+work",
        r"work(?:s|ing)?\s+for\s+(?:no|nothing|free|no\s+money|no\s+pay)", r"unpaid\s+work", r"until\s+[1-5]\s*am",
        r"(?:collect|take|keep)s?\s+(?:his|her|my|their)\s+(?:benefits|wages|pay|passport|id)",
        r"(?:passport|documents)\s+(?:taken|kept)", r"not\s+allowed\s+(?:a\s+key|out|to\s+leave|his\s+own\s+money)",
        r"traffick\w*", r"debt\s+bondage", r"owe(?:s)?\s+them", r"slave\w*", r"forced\s+labou?r",
        r"forced\s+(?:to\s+)?marr\w*", r"forced\s+marriage", r"cuckoo\w*",
    ],
    "domestic": [
        "marr(?:y|ied)\\s+(?:me|her|him)\\s+off", "forc\\w+\\s+(?:me|her|him)\\s+(?:to\\s+)?(?:marry|into)", "(?:family|parents|in-laws)\\s+(?:are|is)\\s+forcing",
        "(?:my|her|his)\\s+ex\\s+(?:keeps?|is|has\\s+been|won'?t|wont)", "(?:keeps?|kept)\\s+turn\\w*\\s+up\\s+at\\s+(?:my|her|his)", "won'?t\\s+(?:go\\s+away|leave\\s+(?:me|her|him)\\s+alone)",
        r"(?:my|her|his)\s+(?:partner|husband|wife|boyfriend|girlfriend|ex|fianc\w*)\s+(?:\w+\s+){0,3}?(?:hit|hits|punch\w*|slap\w*|smash\w*|push\w*|kick\w*|threat\w*|beat\w*|chok\w*|strangl\w*|control\w*|won'?t\s+let|locks?|shout\w*|scream\w*|hurt\w*|grabb?\w*|throw\w*|threw)",
        r"domestic\s+(?:abuse|violence)", r"(?:smash|broke|smashed|took)\w*\s+my\s+(?:phone|fone)",
        r"(?:won'?t|wont|doesn'?t|doesnt)\s+let\s+me\s+(?:go\s+out|see|talk|speak|have|leave|use)",
        r"check(?:s|ed)?\s+(?:my|everything\s+i)\s+(?:phone|fone|messages|texts)", r"coercive", r"daughter[-\s]in[-\s]law\s+(?:\w+\s+){0,3}?(?:lock|hit|shout|beat|threat)\w*",
        r"locks?\s+(?:me|her|him)\s+in", r"locked\s+(?:me|her|him)\s+in",
        r"send\s+(?:me|her|him)\s+(?:back\s+)?to\s+(?:pakistan|india|bangladesh|poland|romania)",
    ],
    "physical": [
        "held\\s+(?:his|her|my|their)\\s+(?:arms?|hands?|wrists?|legs?|head)", "scrub\\w*\\s+(?:him|her|me|them)\\s+(?:hard|roughly|raw)",
        "push\\w*\\s+(?:about|around)", "(?:pulls?|pulled|pulling|rips?|ripped|yanks?|yanked)\\s+(?:the\\s+)?(?:covers|blankets?|duvet|sheets|clothes|hair)\\s+off", "(?:get|got|gets|getting)\\s+(?:pushed|hit|kicked|punched|slapped|thumped|hurt)",
        "(?:pillow|hand|cloth)\\s+over\\s+(?:her|his|my)\\s+(?:face|mouth)", "smother\\w*", "suffocat\\w*", "tie(?:s|d)?\\s+(?:his|her|my|their)\\s+(?:hands|arms|legs|wrists)", "tied\\s+to", "burn\\s+from", "(?:ended\\s+up|came\\s+back|come\\s+home)\\s+with\\s+(?:a\\s+)?(?:burn|bruise|cut|injury|marks?|black\\s+eye|broken)",
        # weak cues (broad single phrases): recall first
        "pin(?:s|ned|ning)?\\s+(?:him|her|me|them|mum|dad|\\w+)\\s+down", "held\\s+(?:him|her|me|them)\\s+down", "cut\\s+lip", "swollen\\s+(?:eye|face|lip|arm|wrist)", "black\\s+eye", "twist(?:s|ed|ing)?\\s+(?:my|her|his)\\s+(?:arm|wrist|hand|fingers?)", "scald\\w*", "(?:grabs?|grabbed|grabbing)\\b", "(?:bleeding|blood)\\b", "marks?\\s+on\\s+(?:her|his|my)",
        "black\\s+and\\s+blue", "(?:unexplained|big|large|new)\\s+(?:bruis\\w*|marks?|injur\\w*|cuts?|burns?)", "(?:rough|roughly)\\b", "(?:pulls?|pulled|yank\\w*|drags?)\\s+(?:me|him|her|mum|dad|them)\\s+(?:out|up|by|across|along|off)", "(?:threw|throw\\w*|chucked)\\s+(?:me|him|her|things|a\\s+\\w+)\\s+(?:at|across|against|down)", "(?:hurt\\w*|pain)\\s+(?:when|because)\\s+(?:they|she|he|staff|carers?)", "(?:hit|hits|hitting|beats?|beating|beat)\\b", "(?:kick\\w*|punch\\w*|slap\\w*|bit\\s+me|bites?\\s+me|headbutt\\w*|spat\\s+(?:at|on)|spit\\w*\\s+(?:at|on))",
        r"\bhit(?:s|ting)?\s+" + _EN_PRON, r"slap(?:s|ped|ping)?\b", r"punch(?:es|ed|ing)?\s+" + _EN_PRON,
        r"kick(?:s|ed|ing)?\s+" + _EN_PRON, r"push(?:es|ed|ing)?\s+" + _EN_PRON, r"shov(?:e|es|ed|ing)\b",
        r"pinch(?:es|ed|ing)?\s+" + _EN_PRON, r"flick(?:s|ed|ing)?\b", r"grab(?:s|bed|bing)?\s+" + _EN_PRON,
        r"bruis\w*", r"burn(?:s|t|ed)?\s+(?:on|by|with)", r"beat(?:s|en|ing)?\s+(?:me|him|her|them|up)",
        r"rough(?:ly)?\s+(?:handl\w*|with)", r"restrain\w*", r"tied\s+(?:to|up|down)", r"strangl\w*",
        r"chok(?:e|es|ed|ing)\s+" + _EN_PRON, r"throttl\w*", r"threw\s+\w+\s+at", r"thrown\s+(?:at|against|across)",
        r"smack(?:s|ed|ing)?\b", r"bit(?:e|es|ten)?\s+(?:me|him|her)", r"dragg?(?:ed|ing|s)?\s+" + _EN_PRON,
        r"hurt(?:s|ing)?\s+(?:me|him|her|them|my\s+\w+|his\s+\w+|her\s+\w+|mum|dad|nan)", r"black\s+eye",
        r"scratch(?:es|ed)\s+" + _EN_PRON, r"force[-\s]?fe[de]\w*", r"pulled\s+(?:my|her|his)\s+(?:hair|arm)",
        r"(?:physical(?:ly)?|violent(?:ly)?|violence)\b", r"assault\w*", r"attack(?:s|ed|ing)?\s+" + _EN_PRON,
        r"marks?\s+on\s+(?:her|his|my)\s+(?:arm|arms|face|neck|body|legs?)", r"injur\w*",
    ],
    "financial": [
        "keeps?\\s+the\\s+change", "asks?\\s+for\\s+extra", "in\\s+exchange\\s+for", "pocket\\s+money",
        "using\\s+(?:his|her|my|their)\\s+(?:phone|card|account|bank\\s+card|details)\\s+to\\s+(?:order|buy|pay|shop)", "(?:doesn'?t|does\\s+not|don'?t)\\s+know\\s+what'?s?\\s+(?:has\\s+)?been\\s+(?:bought|taken|spent|ordered)", "(?:money|cigarettes|belongings|things|clothes|jewell?ery|savings)\\s+(?:are|is|were|was|keep)\\s+(?:being\\s+)?(?:taken|going\\s+missing|disappearing)", "gave\\s+(?:them|him)\\s+(?:her|his|my)\\s+(?:bank\\s+)?details",
        "borrow\\w*", "lend\\s+(?:him|her|them)\\b", "never\\s+(?:gives?|gave|pays?|paid)\\s+(?:it|them|anything)\\s+back",
        "(?:keeps?|kept|always)\\s+asking\\s+(?:me|her|him|mum|dad)\\s+for\\s+(?:money|cash|a\\s+loan)", "(?:asking|asks|asked)\\s+(?:me|her|him)\\s+for\\s+money", "(?:sell|selling|sold)\\s+(?:the|her|his|my)\\s+(?:house|home|flat|car|jewell?ery)",
        # weak cues (broad single phrases): recall first
        "(?:wallet|purse|cheques?|cheque\\s+book|pin\\s+number|bank\\s+card|cash\\s+card)", "(?:took|takes|taking|taken|stole|steals)\\s+£?\\d+", "£\\s?\\d+\\s+(?:from|off|out\\s+of)", "\\bowe(?:s|d)?\\s+(?:him|her|them|me)\\b", "(?:lodger|tenant)\\s+(?:won'?t|will\\s+not|refuses)", "hands?\\s+(?:over\\s+)?(?:all\\s+)?(?:her|his|my|their)\\s+(?:money|wages|pay|benefits)", "sign\\s+(?:cheques|papers|forms|documents)\\s+for\\s+(?:him|her|them)", "(?:makes?|made)\\s+(?:mum|dad|nan|her|him|me)\\s+(?:sign|pay|give|buy)",
        "(?:credit\\s+card|loan|catalogue|contract|account)\\s+(?:in|under)\\s+(?:her|his|my|mum'?s|dad'?s)\\s+name", "(?:pension|benefits?|money|wages|savings)\\s+(?:disappear\\w*|vanish\\w*|goes|gone|go\\s+missing|keeps?\\s+going)", "(?:going|went|goes)\\s+through\\s+(?:my|her|his|mum'?s|dad'?s)\\s+(?:post|purse|wallet|bag|drawers)", "(?:give|hand)\\s+(?:him|her|them)\\s+(?:her|his|my|all\\s+(?:her|his|my))\\s+(?:savings|money|pension|card|pin)", "(?:withdraw\\w*|takes?\\s+out|took\\s+out)\\s+(?:money|cash|£?\\d+)", "(?:bank|building\\s+society)\\s+(?:rang|called|flagged|froze|stopped)", "(?:pressur\\w+|forc\\w+|made)\\s+(?:me|her|him)\\s+(?:to\\s+)?(?:sign|give|lend|pay|hand)", "money\\s+(?:off|from)\\s+(?:me|her|him|mum|dad|nan)", "£\\s?\\d+\\s+(?:goes|went|missing|taken|disappear)", "steal\\w*|stole|nick(?:s|ed|ing)\\s+(?:my|her|his)",
        r"(?:borrow|borrowin|borrowing|borrows|borrowed)\w*\s+(?:money|cash)", r"never\s+pa(?:ys|id)\s+(?:it|me)\s+back",
        r"(?:took|takes|taking|taken|stole|steals|stealing|stolen|having|keeps?|kept)\s+(?:\w+(?:'s|s)?\s+){0,2}(?:money|cash|pension|benefits|savings|card|bank\s+card|jewell?ery|purse|wallet)",
        r"(?:money|cash|savings|pension)\s+(?:is\s+|has\s+|keeps\s+)?(?:missing|gone|going\s+missing|disappear\w*|almost\s+gone|taken)",
        r"(?:account|bank)\s+(?:is\s+)?(?:empty|drained|overdrawn)", r"(?:in|under)\s+(?:my|her|his)\s+name",
        r"pin\s+(?:number|code)", r"(?:uses?|using|used)\s+(?:my|her|his)\s+(?:bank\s+)?card", r"\d+\s*(?:grand|k)\b",
        r"scam\w*", r"fraud\w*", r"con\s+(?:man|men|artist)", r"doorstep\w*", r"cowboy\s+builders?",
        r"changed?\s+(?:her|his|my)\s+will", r"sign(?:ed)?\s+(?:over|the\s+house)", r"financial(?:ly)?\s+abus\w*",
        r"(?:gets|got|becomes?)\s+angry\s+if\s+(?:i|she|he)\s+(?:say|says)\s+no", r"theft|stealing|stole",
        r"owe\s+money", r"(?:won'?t|wont|will\s+not|refuses\s+to)\s+give\s+(?:it|them|her|his|my)\s+(?:\w+\s+)?back", r"loans?\s+in\s+(?:my|her|his)\s+name", r"debts?\s+in",
    ],
    "discriminatory": [
        "(?:call|calls|called)\\s+(?:her|him|me|them)\\s+['‘\\\"]?(?:the\\s+)?(?:foreigner|immigrant|paki|gypsy|darkie|spastic|retard)", "(?:won'?t|will\\s+not|refuse\\s+to)\\s+sit\\s+with\\s+(?:her|him|me)",
        # weak cues (broad single phrases): recall first
        "because\\s+(?:she|he|i|they)\\s+(?:wears?|is|am|are|speaks?|prays?)\\s+(?:a\\s+)?(?:headscarf|hijab|turban|muslim|black|gay|disabled|polish|foreign|asian|jewish|sikh|hindu)", "(?:about|at)\\s+(?:my|her|his|their)\\s+(?:son'?s\\s+|daughter'?s\\s+)?(?:disability|religion|colou?r|race|accent|headscarf|hijab|turban)",
        r"rac(?:ist|ism|ial(?:ly)?)\w*", r"go\s+back\s+to\s+(?:your|ur|his|her)\s+(?:own\s+)?country", r"paki\b",
        r"homophob\w*", r"transphob\w*", r"\bn[i1]gg\w*", r"because\s+(?:i'?m|he'?s|she'?s|i\s+am|of\s+(?:my|his|her))\s+(?:black|asian|muslim|gay|lesbian|trans|disab\w*|religion|colou?r|accent|faith|skin)",
        r"(?:mock|mocks|mocked|mocking|laugh\w*\s+at|makes?\s+fun\s+of|imitat\w*)\s+(?:my|his|her)\s+(?:accent|english|language|religion|faith|disability|clothes|hijab|turban|food)",
        r"refus\w+\s+to\s+(?:heat|give|serve|provide|cook)\s+(?:his|her|my)\s+(?:halal|kosher|vegetarian)", r"halal\s+meals?\s+\w*",
        r"eat\s+what\s+everyone\s+else\s+eats", r"discriminat\w*", r"religious\s+abuse", r"hate\s+crime",
    ],
    "organisational": [
        "reads?\\s+(?:residents'?|people'?s|our|my|her|his|their)\\s+(?:letters|post|mail|messages)", "keeps?\\s+the\\s+(?:ones|letters|post)\\s+(?:she|he|they)", "(?:leave|leaves|left)\\s+(?:them|residents|people)\\s+(?:there|in\\s+the\\s+corridor)\\s+for\\s+hours", "only\\s+(?:feed|feeds|fed)\\s+(?:us|them|residents)",
        # weak cues (broad single phrases): recall first
        "one\\s+(?:carer|staff|member\\s+of\\s+staff)\\s+for\\s+(?:\\d+|twenty|thirty|fifteen|all)", "wait\\w*\\s+hours\\s+for\\s+the\\s+toilet", "go\\s+to\\s+bed\\s+at\\s+(?:seven|six|five|7|6|5)",
        "sleeping\\s+(?:tablets|pills)\\s+(?:so|to)", "to\\s+keep\\s+(?:them|him|her|residents)\\s+quiet", "(?:chemical|physical)\\s+restraint", "(?:strapped|belted)\\s+(?:in|into|to)", "(?:everyone|all\\s+residents|residents)\\s+(?:are|is)\\s+(?:got\\s+up|put\\s+to\\s+bed|woken)\\s+at", "(?:over|for)\\s+(?:an\\s+)?hour\\s+most\\s+nights", "(?:not|aren'?t|are\\s+not)\\s+allowed\\s+(?:to\\s+)?(?:use|have|go|see|phone|leave)",
        r"(?:door|doors)\s+(?:is\s+|are\s+)?locked", r"locks?\s+(?:the|all\s+the|our)\s+doors?", r"nobody\s+is\s+allowed\s+(?:to\s+)?(?:go\s+out|leave|out)", r"locked\s+(?:in|between|out)", r"kept\s+in\b", r"blanket\s+restriction\w*",
        r"nobody\s+can\s+(?:leave|go\s+out|have\s+visitors)", r"not\s+allowed\s+(?:to\s+)?(?:leave|go\s+out|visitors|out)",
        r"no\s+visitors", r"not\s+taken\s+to\s+the\s+(?:toilet|loo)",
        r"sedat\w*", r"(?:only\s+)?(?:showered|bathed|washed)\s+once\s+a\s+(?:week|fortnight)", r"for\s+safeguarding\s+reasons",
        r"institutional\w*", r"(?:short|under)[-\s]staffed\s+(?:and|so)", r"left\s+in\s+(?:their|bed|rooms)\s+all\s+day",
        r"toilet(?:ed|ing)?\s+(?:only\s+)?at\s+set\s+times", r"without\s+capacity\s+assessments?", r"punish\w*",
    ],
    "neglect": [
        "(?:drinks?|drunk|drinking)\\s+on\\s+(?:shift|duty)", "(?:fallen|falls|fell)\\s+asleep\\s+(?:while|on\\s+shift|on\\s+duty|when)", "asleep\\s+(?:on\\s+the\\s+sofa\\s+)?all\\s+shift", "\\bulcers?\\b", "(?:nurse|carers?|doctor|gp)\\s+(?:hasn'?t|has\\s+not|haven'?t)\\s+(?:been|come|visited)\\s+for", "(?:won'?t|wont|doesn'?t|don'?t)\\s+give\\s+(?:him|her|them|me)\\s+(?:his|her|their|my)\\s+(?:hearing\\s+aids?|glasses|frame|stick|wheelchair|medication|tablets|meds|teeth|dentures|phone)", "sleeps?\\s+on\\s+the\\s+floor", "hiding\\s+food",
        "not\\s+been\\s+out\\s+of\\s+bed\\s+for", "no\\s+hoist", "refus\\w+\\s+to\\s+help\\s+(?:her|him|me|them)", "(?:hasn'?t|has\\s+not|not)\\s+(?:collected|had|taken)\\s+(?:her|his|my)\\s+(?:insulin|medication|tablets|meds)",
        "switch\\w*\\s+off\\s+(?:the\\s+)?(?:call\\s+)?bells?", "(?:wasn'?t|was\\s+not|not|weren'?t)\\s+seen\\s+by\\s+(?:a|the|any)\\s+(?:nurse|doctor|gp)\\s+(?:until|for)", "fall\\b[^.]{0,40}(?:wasn'?t|not|nobody|no\\s+one)\\s+(?:seen|checked|noticed|called)",
        "(?:someone\\s+else'?s|wrong|another\\s+resident'?s)\\s+(?:tablets|medication|meds|pills|insulin)", "(?:medication|tablets|meds)\\s+errors?", "(?:not|never|didn'?t|don'?t)\\s+turn\\w*\\s+up", "(?:had|has|got|gets)\\s+no\\s+(?:dinner|breakfast|lunch|tea|supper|food|meals?|drink)", "very\\s+drowsy|over[-\\s]?sedated",
        "lost\\s+(?:\\w+\\s+)?(?:stone|kilos?|pounds|weight)", "(?:food|meals?|plates?|dinner|tray)\\s+(?:just\\s+)?(?:gets?|get|is|are|was|were)\\s+taken\\s+away", "untouched", "(?:hasn'?t|has\\s+not|haven'?t|wasn'?t|weren'?t|not)\\s+been\\s+(?:given|changed|washed|fed|turned|checked|seen)", "for\\s+(?:\\w+)\\s+days\\s+(?:because|as|and)", "nobody\\s+(?:chased|followed|checked|noticed|did\\s+anything)", "rush(?:ing|es|ed)?\\s+(?:mum|dad|her|him|them|residents|me)", "getting\\s+(?:weaker|thinner|worse)",
        # weak cues (broad single phrases): recall first
        "same\\s+clothes", "(?:stinks?|stinking|reeks?)\\b", "(?:heels?|bottom|skin|sacrum)\\s+(?:are|is)\\s+(?:raw|red|sore|broken)", "(?:choking|choked)\\b", "thickened\\s+(?:drinks|fluids)", "(?:not|nobody\\s+is|no\\s*one\\s+is|never)\\s+turn(?:ing|ed)?\\s+(?:him|her|them)", "dehydrat\\w*", "(?:nappy|nappies|incontinence\\s+pads?|soiled|urine|faeces)", "left\\s+in\\s+bed\\s+(?:until|till|all)", "(?:stopped|stop|not)\\s+giving\\s+(?:her|him|them)\\s+(?:the|his|her)", "(?:no|not\\s+enough)\\s+(?:food|drinks?|water|heating)\\b", "went\\s+without\\s+(?:food|meals?|drinks?|care|medication)",
        "(?:same|soaking|wet|dirty|full)\\s+(?:pad|pads|nappy|incontinence\\s+pad)", "pad\\s+(?:not|never|isn'?t|wasn'?t)\\s+(?:changed|checked)", "(?:from|since)\\s+(?:morning|breakfast)\\s+(?:till|until|to)\\s+(?:night|bedtime|tea)", "(?:hasn'?t|has\\s+not|haven'?t|not)\\s+(?:had|been\\s+given)\\s+a\\s+(?:wash|bath|shower|drink|meal|proper\\s+meal)", "(?:fridge|cupboards?)\\s+(?:is|are)\\s+(?:empty|bare)", "in\\s+the\\s+dark", "(?:call\\s+)?bells?\\s+(?:are\\s+|is\\s+|go\\s+|went\\s+|were\\s+)?(?:unanswered|ignored|not\\s+answered|left\\s+ringing)", "out\\s+of\\s+(?:her|his|their|my)?\\s*reach", "(?:for|over)\\s+(?:over\\s+)?an?\\s+hours?\\s+(?:most|every|each)", "(?:meals?|food|drinks?|water)\\s+(?:left|put)\\s+(?:on|out\\s+of|by|where)", "(?:unwashed|filthy|smelly|stinking|matted|unkempt|starv\\w*)", "(?:nobody|no\\s*one|no1)\\s+(?:helps?|helped)\\s+(?:her|him|them|me)\\s+(?:eat|drink|wash|to\\s+the\\s+toilet)", "(?:no1|noone|nobody|no\\s+one)\\s+(?:came|come|comes|turned\\s+up)", "(?:waits?|waited|waiting|left)\\s+(?:for\\s+)?(?:hours|ages|all\\s+(?:day|night))\\s+(?:for|to)\\s+(?:the\\s+toilet|help|a\\s+drink|food|someone)", "(?:sores?|ulcers?|infection)\\s+(?:was|were|has\\s+been|went|left)\\s+(?:untreated|unnoticed|ignored)", "(?:never|don'?t|doesn'?t|didn'?t)\\s+(?:get|got|gets)\\s+(?:his|her|my)\\s+(?:meds|medication|tablets|insulin|dinner|meals?)",
        r"left\s+(?:on|in)\s+(?:the\s+)?(?:floor|bed|chair|toilet|commode|dark|cold|wet|soiled|own\s+mess)",
        r"left\s+(?:alone\s+)?(?:until|till|for)\s+(?:\d+|hours|the\s+(?:night|morning|day)|[a-z]+\s+hours)", r"left\s+without\s+(?:food|water|drink|meds|medication|care|help)",
        r"(?:put|sent)\s+to\s+bed\s+(?:at|before)\s+(?:[3-7]|five|six|four)", r"wet\s+through", r"soaked", r"soiled", r"(?:pressure|bed)\s+(?:sores?|ulcers?|damage)", r"skin\s+(?:is\s+)?(?:breaking|broken|sore)",
        r"not\s+(?:been\s+)?(?:fed|washed|changed|turned|given\s+(?:food|water|a\s+drink|(?:his|her)\s+(?:meds|medication|tablets)))",
        r"missed\s+(?:calls?|visits?|meds|medication|tablets|doses?|meals?)", r"(?:forget|forgot|forgets|forgotten)\s+(?:his|her|my|their)?\s*(?:tablets|meds|medication|insulin|pills)",
        r"(?:tablets|meds|medication|insulin)\s+(?:late|given\s+late|hours\s+late|missed|not\s+given)", r"hours\s+late",
        r"(?:hungry|starving|dehydrated|malnourish\w*|losing\s+weight|lost\s+(?:a\s+lot\s+of\s+)?weight)",
        r"not\s+eating(?:\s+well)?", r"(?:hearing\s+aids?|glasses|dentures|teeth|wheelchair|frame)\s+(?:have\s+been\s+|has\s+been\s+|are\s+|is\s+)?(?:missing|broken|lost)",
        r"nobody\s+(?:has\s+)?(?:arranged|came|comes|turned\s+up|helps?|checks?)", r"(?:carers?|staff)\s+(?:didn'?t|did\s+not|never|don'?t)\s+(?:turn\s+up|come|show)",
        r"no\s+one\s+(?:came|comes|turned\s+up|checks?)", r"(?:call\s+bell|buzzer)\s+(?:ignored|not\s+answered|out\s+of\s+reach)",
        r"fell\s+(?:twice|again|\d+\s+times|three\s+times)", r"(?:keeps?|kept)\s+falling", r"dirty\s+(?:clothes|pad|pads|sheets|bed)",
        r"smell(?:s|ing)?\s+of\s+(?:urine|wee|poo)", r"neglect\w*", r"withdrawn", r"no\s+(?:food|heating|water)\s+in",
        r"(?:sat|sitting|lying)\s+in\s+(?:urine|faeces|wet|(?:his|her)\s+own)",
    ],
    "self_neglect": [
        "refus(?:es|ed|ing)\\s+to\\s+(?:eat|drink|wash|see|take|let)", "won'?t\\s+(?:see|let)\\s+(?:the\\s+)?(?:gp|doctor|nurse|carers?|anyone)",
        r"hoard\w*", r"(?:house|flat|home|room)\s+is\s+(?:full|filthy|a\s+tip|overflowing)", r"can'?t\s+get\s+to\s+my\s+bed",
        r"sleep\s+in\s+(?:the|my|a)\s+chair", r"(?:stopped|stops|won'?t|refuses?\s+to|not)\s+(?:taking|take)\s+(?:his|her|my)\s+(?:meds|medication|tablets|insulin)",
        r"drinking\s+(?:again|heavily|all\s+day)", r"(?:won'?t|will\s+not|doesn'?t|don'?t)\s+(?:let\s+anyone\s+in|want\s+(?:any\s+)?help|eat|wash)",
        r"not\s+washing", r"found\s+(?:him|her|them)\s+on\s+the\s+floor", r"(?:lying|lay)\s+(?:there|on\s+the\s+floor)", r"self[-\s]?neglect\w*",
        r"no\s+food\s+in\s+the\s+(?:house|flat|fridge)", r"(?:bills?|rent)\s+(?:not\s+paid|unpaid)",
    ],
    "psychological": [
        "if\\s+i\\s+cry", "put\\s+(?:me|her|him)\\s+in\\s+a\\s+home", "send\\s+(?:me|her|him)\\s+away",
        "if\\s+(?:he|she|i|they)\\s+(?:reports?|tells?|complains?\\s+about)\\s+", "lose\\s+(?:his|her|my|their)\\s+(?:place|home|room|flat|tenancy|bed)", "told\\s+(?:her|him|me)\\s+(?:she|he|i)\\s+(?:smells?|stinks?|is\\s+disgusting)",
        "(?:stop|stopped|cancel\\w*)\\s+(?:my|her|his|their)\\s+(?:visits|outings|phone\\s+calls|trips)", "(?:he|she)\\s+(?:was|is)\\s+(?:crying|in\\s+tears|sobbing|screaming)",
        "if\\s+(?:he|she|you|they|i)\\s+(?:keeps?|carry\\s+on|continues?)\\s+complain\\w*", "(?:have|has)\\s+to\\s+(?:find|look\\s+for)\\s+another\\s+(?:home|place|provider)", "(?:tells?|told)\\s+(?:her|him|me)\\s+to\\s+(?:shut|get\\s+up\\s+(?:her|him|my)self|sort\\s+(?:her|him|my)self)",
        # weak cues (broad single phrases): recall first
        "(?:scared|afraid|frightened|terrified|petrified)\\b", "(?:cries|crying|cried)\\s+(?:when|whenever|every\\s+time)", "(?:shouts?|shouting|shouted|screams?|screaming|yells?|yelling)\\b", "without\\s+(?:asking|knocking|permission)", "kill\\s+(?:me|her|him|you)\\b", "(?:nasty|horrible|cruel)\\s+(?:notes?|messages?|texts?|comments?)", "no\\s+(?:pudding|dessert|tv|phone|visits?)\\s+(?:if|unless)", "(?:get|gets)\\s+no\\s+\\w+\\s+(?:if|unless)", "(?:controls?|controlling)\\s+(?:my|her|his)", "(?:blackmail\\w*|manipulat\\w*)",
        "shut\\s+up", "or\\s+(?:she|he|they|i)'?(?:d|ll|will|would)\\s+(?:leave|lock|send|hit|hurt|tell|stop|take)", "(?:won'?t|wont|don'?t|do\\s+not)\\s+let\\s+(?:me|him|her|them)\\s+(?:phone|call|ring|see|go|leave|have|talk|speak|out)", "(?:take|takes|took|taking)\\s+(?:my|her|his)\\s+(?:mobile|phone|fone|tablet|ipad)\\s+(?:off|away)", "(?:no\\s*one|nobody)\\s+(?:will|would)\\s+believe", "because\\s+(?:i'?m|i\\s+am|he'?s|she'?s)\\s+(?:mental|thick|stupid|retarded|disabled)", "(?:laugh\\w*|sneer\\w*)\\s+at\\s+(?:me|him|her|them)", "(?:nasty|cruel|horrible|vile)\\s+(?:to|towards)\\s+(?:me|him|her|them|residents)", "(?:scared|afraid|frightened|terrified)\\s+of\\s+(?:him|her|them|my|his|her|the\\s+(?:staff|carers?|night|manager|man|woman)|going|being|what)", "(?:bang\\w*|knock\\w*)\\s+on\\s+my\\s+door", "(?:stalk\\w*|harass\\w*|follows?\\s+me|following\\s+me)", "(?:makes?|made)\\s+(?:me|her|him)\\s+(?:feel\\s+)?(?:worthless|stupid|small|scared|frightened|cry)", "(?:ignore|ignores|ignored|ignoring)\\s+(?:me|him|her)\\s+when",
        r"threat\w*", r"if\s+(?:i|he|she|you)\s+(?:don'?t|dont|do\s+not)\s+\w+\s+(?:i|he|she|you)'?(?:ll|l)\s+(?:lose|be|get)", r"\bil\s+lose",
        r"shipped\s+out", r"if\s+(?:i|he|she|we|they)\s+complain\w*", r"(?:or\s+else|you'?ll\s+be\s+sorry)", r"making\s+an\s+example", r"humiliat\w*", r"(?:shout|shouts|shouted|shouting|yell\w*|scream\w*|swear\w*)\s+at\s+" + _EN_PRON,
        r"call(?:s|ed|ing)?\s+(?:me|him|her|them)\s+(?:a\s+)?(?:baby|stupid|useless|names|fat|thick|idiot|pathetic|dirty|disgusting|liar|lazy)",
        r"bull(?:y|ied|ies|ying|yin)\b", r"intimidat\w*", r"belittl\w*", r"frighten(?:s|ed|ing)?\s+(?:me|him|her)",
        r"(?:scared|afraid|frightened|terrified)\s+(?:of|to\s+go\s+(?:home|back)|to\s+tell)\s+(?:him|her|them|my|the\s+(?:staff|carers?|manager))",
        r"too\s+scared\s+to", r"(?:i'?m|i\s+am|she'?s|he'?s)\s+(?:scared|afraid|frightened)\s+(?:he|she|they)", r"(?:a\s+)?burden", r"emotional(?:ly)?\s+abus\w*",
        r"isolat(?:ed|ing|es)\s+(?:me|him|her)", r"won'?t\s+let\s+(?:me|him|her)\s+see", r"says\s+dirty\s+things", r"(?:mock|mocks|mocked|mocking)\b",
        r"lose\s+(?:my|his|her)\s+(?:visits|xbox|phone|tv)", r"if\s+(?:she|he|i)\s+tell\w*\s+anyone", r"don'?t\s+(?:no|know)\s+who\s+(?:to|2)\s+tell",
        r"not\s+(?:to\s+)?tell\s+(?:anyone|staff|anybody)", r"(?:don'?t|dont|do\s+not)\s+feel\s+safe", r"not\s+safe\s+(?:at|in|with)", r"unsafe",
        # "whether they feel safe now" is what MSP asks: a person saying they are not safe is told at once
        r"(?:i'?m|im|i\s+am|we'?re|we\s+are|(?:she|he)'?s|(?:she|he)\s+is|(?:mum|mam|dad|nan|gran)\s+is)\s+(?:still\s+|really\s+|just\s+)?not\s+safe",
        r"(?:home|house|flat)\s+(?:is\s+)?not\s+safe", r"not\s+safe\s+(?:here|there|now|anymore|any\s+more)\b", r"^\W*not\s+safe\b",
        r"(?:never|no\s+longer)\s+feel\s+safe", r"feel(?:s|ing)?\s+less\s+safe",
        r"(?:\bno|\bnope|\bnah|\bstill|\bjust|\bnever)\W+not\s+safe", r"not\s+feel(?:ing)?\s+(?:very\s+|really\s+|that\s+)?safe",
        r"(?:don'?t|dont|do\s+not|didn'?t|never)\s+(?:really\s+|always\s+|ever\s+)?feel\s+(?:very\s+|that\s+|completely\s+|totally\s+)?safe",
        r"(?:ain'?t|aint)\s+safe", r"nowhere\s+(?:is|feels)\s+safe",
        r"pulling\s+(?:his|her|my)\s+hair\s+out", r"\babus\w*", r"gaslight\w*", r"controlling",
    ],
}

# Other languages: plain substrings (no \b, because combining vowel signs break word boundaries
# in Brahmic and Arabic scripts). Latin-script languages use a word-start boundary.
OTHER: dict[str, dict[str, list[str]]] = {
    "ur": {  # Urdu, Arabic script
        "self_harm": ["خودکشی", "خود کشی", "مرنا چاہ", "مر جانا چاہ", "جان دے د", "اپنی جان", "کلائی کاٹ", "خود کو نقصان",
                      "خود کو زخمی", "زندہ نہیں رہنا", "جینا نہیں چاہ", "سب ختم کر", "زہر کھا", "نیند کی گولیاں"],
        "sexual": ["چھوا", "چھوتا", "چھوتی", "چھونے", "چھیڑ", "جنسی", "گندی باتیں", "گندی حرکت", "زیادتی", "ہراساں", "زبردستی کی", "تصویریں مانگ"],
        "physical": ["مارا", "مارتا", "مارتی", "مارتے", "مار پیٹ", "پیٹا", "پیٹتا", "تھپڑ", "دھکا", "دھکے", "زخم", "نیل", "چوٹ", "جلایا", "گلا دبا", "باندھ"],
        "psychological": ["دھمکا", "دھمکی", "دھمکیاں", "ڈراتا", "ڈراتی", "ڈراتے", "گالی", "گالیاں", "ذلیل", "بوجھ", "چیختا", "چیختی", "چلاتا", "بتایا تو", "بتایا کہ تو", "بے عزت", "طعنے"],
        "domestic_actor": ["بہو", "داماد", "شوہر", "بیوی"],
        "domestic": ["جانے نہیں دیت", "باہر نہیں جانے", "کمرے میں بند", "بند کر کے", "گھر سے نکال", "پاکستان بھیج", "زبردستی شادی", "واپس بھیج"],
        "financial": ["پیسے لے", "پیسے چھین", "پیسے لیت", "میرے نام پر", "ان کے نام پر", "کنٹریکٹ", "پیسے دینے ہیں", "قرض", "پنشن لے", "کارڈ لے", "کارڈ سے", "چوری", "دھوکہ", "فراڈ", "بینک سے"],
        "neglect": ["نہیں دی گئی", "نہیں دیا گیا", "نہیں دی جاتی", "نہلایا نہیں", "کپڑے گندے", "صاف نہیں کرت", "بھوکا", "بھوکی", "بھوکے", "کھانا نہیں دی", "کھانا نہیں دیت", "دوائی نہیں", "دوا نہیں د", "اکیلا چھوڑ", "اکیلی چھوڑ", "گندے کپڑ", "نہلاتے نہیں", "گر گئے", "گر گئیں", "زخم ہو گئے", "کوئی نہیں آتا", "لاپرواہی", "غفلت"],
        "self_neglect": ["دوا لینا چھوڑ", "دوائی چھوڑ", "کھانا نہیں کھات", "مدد نہیں چاہ", "کسی کو اندر نہیں"],
        "modern_slavery": ["کام کرواتے", "کام کرواتا", "بغیر تنخواہ", "تنخواہ نہیں", "پاسپورٹ", "غلام"],
        "discriminatory": ["اپنے ملک واپس", "نسل پرست", "مذہب کی وجہ", "رنگ کی وجہ", "مذاق اڑا"],
        "organisational": ["دروازہ بند", "باہر نہیں جانے", "ملنے نہیں دیت"],
    },
    "ur_latn": {  # Roman Urdu
        "self_harm": ["khudkushi", "khud kushi", "marna chah", "mar jana chah", "mar jaun", "jaan de d", "apni jaan", "kalai kaat", "kalai kat",
                      "khud ko nuqsan", "khud ko nuksan", "zinda nahi rehna", "jeena nahi chah", "jina nahi chah", "sab khatam kar", "zeher kha"],
        "sexual": ["chua", "chhua", "chhoo", "choo ta", "chedta", "chherta", "gandi baat", "gandi harkat", "ziyadti", "zyadti", "harass"],
        "physical": ["maar", "pitai", "pitayi", "maara", "mara ", "marta", "marti", "marte", "maar peet", "maarpeet", "peeta", "peet", "thappar", "thapar", "dhakka", "dhaka de", "chot", "zakhm", "neel"],
        "psychological": ["dhamka", "daant", "dant", "dhamki", "dhamkiyan", "darata", "darati", "daratay", "gaali", "gaaliyan", "galiyan", "zaleel", "bojh", "cheekh", "chilla", "bataya to", "be izzat", "beizzat"],
        "domestic_actor": ["bahu", "shohar", "shauhar", "biwi", "damad"],
        "domestic": ["nahi jaane det", "bahar nahi jaane", "kamre mein band", "band kar ke", "ghar se nikal", "pakistan bhej", "zabardasti shadi"],
        "financial": ["paise le", "paisay le", "paise chheen", "mere naam pe", "mere naam par", "qarz", "karz", "pension le", "card le liya", "card le leta", "card le lete", "chori", "dhoka", "fraud"],
        "neglect": ["akela chhor", "akeli chhor", "khana bhi nahi", "bhooka", "bhooki", "bhookay", "khana nahi de", "dawai nahi", "dawa nahi", "akela chor", "akeli chor", "gande kapr", "gir gaye", "gir gayi", "koi nahi aata", "laparwahi"],
        "self_neglect": ["dawai chor", "dawa lena chor", "khana nahi khat", "madad nahi chah"],
        "modern_slavery": ["kaam karwat", "baghair tankhwah", "tankhwah nahi", "passport le"],
        "discriminatory": ["apne mulk wapas", "apne desh wapas", "racist"],
        "organisational": [],
    },
    "pa": {  # Punjabi, Gurmukhi
        "self_harm": ["ਖ਼ੁਦਕੁਸ਼ੀ", "ਖੁਦਕੁਸ਼ੀ", "ਆਤਮਹੱਤਿਆ", "ਮਰਨਾ ਚਾਹ", "ਮਰ ਜਾਣਾ", "ਜਾਨ ਦੇ ਦ", "ਆਪਣੀ ਜਾਨ", "ਜੀਣਾ ਨਹੀਂ", "ਆਪਣੇ ਆਪ ਨੂੰ ਨੁਕਸਾਨ", "ਗੁੱਟ ਕੱਟ"],
        "sexual": ["ਛੂਹ", "ਛੇੜ", "ਗੰਦੀਆਂ ਗੱਲਾਂ", "ਜਿਨਸੀ", "ਜ਼ਬਰਦਸਤੀ", "ਬਲਾਤਕਾਰ"],
        "physical": ["ਮਾਰਦਾ", "ਮਾਰਦੀ", "ਮਾਰਦੇ", "ਮਾਰਿਆ", "ਕੁੱਟ", "ਥੱਪੜ", "ਧੱਕਾ", "ਧੱਕੇ", "ਸੱਟ", "ਨੀਲ", "ਜ਼ਖ਼ਮ", "ਜ਼ਖਮ", "ਸਾੜ"],
        "psychological": ["ਧਮਕੀ", "ਧਮਕੀਆਂ", "ਡਰਾਉਂਦ", "ਡਰਾਉਂ", "ਗਾਲ੍ਹਾਂ", "ਗਾਲਾਂ", "ਗਾਲ੍ਹ", "ਬੇਇੱਜ਼ਤ", "ਬੋਝ", "ਚੀਕ"],
        "domestic_actor": ["ਨੂੰਹ", "ਪਤੀ", "ਘਰਵਾਲ"],
        "domestic": ["ਨਹੀਂ ਜਾਣ ਦਿੰਦ", "ਬਾਹਰ ਨਹੀਂ ਜਾਣ", "ਕਮਰੇ ਵਿੱਚ ਬੰਦ", "ਬੰਦ ਕਰ ਕੇ", "ਘਰੋਂ ਕੱਢ", "ਵਾਪਸ ਭੇਜ"],
        "financial": ["ਪੈਸੇ ਲੈ", "ਪੈਸੇ ਖੋਹ", "ਮੇਰੇ ਨਾਂ", "ਮੇਰੇ ਨਾਮ", "ਕਰਜ਼", "ਪੈਨਸ਼ਨ", "ਕਾਰਡ", "ਚੋਰੀ", "ਧੋਖਾ"],
        "neglect": ["ਭੁੱਖ", "ਭੁੱਲ", "ਲੇਟ", "ਡਿੱਗ", "ਦਵਾਈ ਨਹੀਂ", "ਗੋਲੀਆਂ ਨਹੀਂ", "ਰੋਟੀ ਨਹੀਂ", "ਇਕੱਲਾ ਛੱਡ", "ਇਕੱਲੀ ਛੱਡ", "ਗੰਦੇ ਕੱਪੜ", "ਕੋਈ ਨਹੀਂ ਆਉਂਦਾ", "ਲਾਪਰਵਾਹੀ"],
        "self_neglect": ["ਦਵਾਈ ਛੱਡ", "ਮਦਦ ਨਹੀਂ ਚਾਹ", "ਸ਼ਰਾਬ ਪੀ"],
        "modern_slavery": ["ਕੰਮ ਕਰਵਾ", "ਤਨਖ਼ਾਹ ਨਹੀਂ", "ਤਨਖਾਹ ਨਹੀਂ", "ਪਾਸਪੋਰਟ"],
        "discriminatory": ["ਆਪਣੇ ਦੇਸ਼ ਵਾਪਸ", "ਨਸਲ", "ਪੱਗ"],
        "organisational": [],
    },
    "pa_shahmukhi": {  # Punjabi, Shahmukhi (shares many Urdu cues, which are also checked)
        "self_harm": ["مرنا چاہنا", "جان دے دیاں", "جیونا نئیں"],
        "physical": ["ماردا", "ماردی", "ماردے", "کٹیا", "کُٹ", "کُٹدا", "تھپڑ", "دھکا", "سٹ", "نیل"],
        "psychological": ["دھمکی", "ڈراندا", "ڈراندی", "گالاں", "گالھاں"],
        "neglect": ["بھکھا", "بھکھی", "روٹی نئیں", "دوائی نئیں", "کلا چھڈ", "کلی چھڈ", "ڈگ پئے", "ڈگ پئی"],
        "financial": ["پیسے لے", "پیسے کھوہ", "میرے ناں"],
    },
    "gu": {
        "self_harm": ["આત્મહત્યા", "મરી જવું", "મરી જવા", "જીવવું નથી", "જીવવા નથી", "જીવ આપી", "પોતાને નુકસાન", "કાંડું કાપ"],
        "sexual": ["સ્પર્શ", "અડ્યો", "અડે છે", "અડકે", "ગંદી વાતો", "છેડતી", "જાતીય", "બળાત્કાર"],
        "physical": ["માર્યો", "મારી", "મારે છે", "મારતો", "મારતી", "માર માર", "ધક્કો", "થપ્પડ", "ઉઝરડો", "ઉઝરડા", "ઈજા", "ઇજા", "ઘા", "દાઝ"],
        "psychological": ["ધમકી", "ડરાવ", "ગાળો", "ગાળ ", "અપમાન", "બોજ", "બૂમો પાડ"],
        "domestic_actor": ["વહુ", "પતિ"],
        "domestic": ["રૂમમાં બંધ", "ઘરમાંથી કાઢ", "પાછા મોકલ"],
        "financial": ["પૈસા લઈ", "પૈસા લે", "પૈસા છીન", "મારા નામે", "દેવું", "પેન્શન", "કાર્ડ", "ચોરી", "છેતરપિંડી"],
        "neglect": ["ભૂખ્યા", "ભૂખ્યો", "ભૂખી", "ખાવાનું નથી", "દવા નથી", "દવા ભૂલ", "દવા આપતા નથી", "એકલા છોડ", "પડી ગયા", "પડી ગઈ", "કોઈ આવતું નથી", "બેદરકારી"],
        "self_neglect": ["દવા લેવાનું બંધ", "મદદ નથી જોઈતી", "દારૂ પી"],
        "modern_slavery": ["કામ કરાવ", "પગાર નથી", "પાસપોર્ટ"],
        "discriminatory": ["તમારા દેશ પાછા", "જાતિવાદ"],
        "organisational": [],
    },
    "bn": {
        "self_harm": ["আত্মহত্যা", "মরে যেতে চাই", "মরে যেতে ইচ্ছা", "বাঁচতে চাই না", "বাঁচতে ইচ্ছা করে না", "নিজেকে আঘাত", "নিজের ক্ষতি", "হাত কেটে", "কব্জি কেটে"],
        "sexual": ["গায়ে হাত", "স্পর্শ কর", "ছুঁয়ে", "ছোঁয়", "যৌন", "খারাপ কথা", "খারাপ ইঙ্গিত", "ধর্ষণ", "শ্লীলতাহানি"],
        "physical": ["মারে", "মারধর", "মেরেছে", "মারছে", "থাপ্পড়", "চড়", "ধাক্কা", "আঘাত", "কালশিটে", "ক্ষত", "পুড়িয়ে"],
        "psychological": ["হুমকি", "ভয় দেখা", "গালি", "অপমান", "চিৎকার কর", "বোঝা", "কাউকে বললে"],
        "domestic_actor": ["স্বামী", "বউমা", "পুত্রবধূ"],
        "domestic": ["তালা দিয়ে", "তালা মেরে", "বাইরে যেতে দেয় না", "ঘরে আটকে", "ঘরে বন্ধ", "বাড়ি থেকে বের করে", "দেশে পাঠিয়ে"],
        "financial": ["টাকা নিয়ে", "টাকা নেয়", "টাকা কেড়ে", "কার্ড দিয়ে", "কার্ড নিয়ে", "টাকা প্রায় শেষ", "টাকা শেষ", "অ্যাকাউন্ট খালি", "আমার নামে", "তাঁর নামে", "পেনশন", "চুরি", "প্রতারণা", "ঋণ"],
        "neglect": ["অবহেলা", "খেতে দেয় না", "খাবার দেয় না", "ক্ষুধার্ত", "না খেয়ে", "ওষুধ দেয় না", "ওষুধ দেয়নি", "একা ফেলে", "পড়ে গিয়ে", "পড়ে গেছেন", "কেউ আসে না", "নোংরা কাপড়"],
        "self_neglect": ["ওষুধ খাওয়া বন্ধ", "সাহায্য চান না", "কিছু খান না"],
        "modern_slavery": ["কাজ করায়", "বেতন দেয় না", "পাসপোর্ট"],
        "discriminatory": ["নিজের দেশে ফিরে", "বর্ণবাদ", "জাতিগত"],
        "organisational": [],
    },
    "ar": {
        "self_harm": ["إنهاء حياتي", "انهاء حياتي", "أموت", "الموت أفضل", "انتحار", "أنتحر", "انتحر", "أقتل نفسي", "اقتل نفسي", "أنهي حياتي", "انهي حياتي", "لا أريد أن أعيش", "لا اريد ان اعيش", "أريد أن أموت", "اريد ان اموت", "إيذاء نفسي", "ايذاء نفسي", "جرحت نفسي", "أجرح نفسي"],
        "sexual": ["يلمس", "لمسني", "لمسها", "تحرش", "اغتصاب", "جنسي", "كلام بذيء", "كلام قذر", "صور عارية"],
        "physical": ["يضرب", "ضربني", "ضربه", "ضربها", "ضرب", "صفع", "يصفع", "دفعني", "دفعه", "دفعها", "يدفع", "كدمات", "كدمة", "جروح", "حرق", "يخنق"],
        "psychological": ["يهدد", "تهديد", "هددني", "يصرخ", "يشتم", "شتم", "يسخر", "سخر", "يهين", "إهانة", "اهانة", "يقلّد", "يقلد", "عبء", "أخاف أن", "اخاف ان", "لم أخبر أحد", "لم اخبر احد"],
        "domestic_actor": ["زوجي", "زوجها", "زوجته", "كنتي"],
        "domestic": ["لا يسمح لي", "لا تسمح لي", "بالخروج", "حبسني", "يحبسني", "يحبسها", "في غرفتها", "أطرد من البيت"],
        "financial": ["نقود", "فلوس", "يأخذ مال", "يأخذ فلوس", "أخذ مال", "أخذ فلوس", "سرق", "يسرق", "بطاقتي", "بطاقته", "بطاقتها", "باسمي", "دين", "معاشي", "راتبي", "احتيال", "نصب"],
        "neglect": ["إهمال", "اهمال", "جائع", "جوعان", "لا يطعم", "بدون أكل", "بدون دواء", "لا يعطونه الدواء", "تركوه", "تركوها", "وحده طوال", "سقط", "لا أحد يأتي"],
        "self_neglect": ["توقف عن أخذ الدواء", "لا يريد مساعدة", "لا تريد مساعدة"],
        "modern_slavery": ["يجبرونه على العمل", "يشغلونه", "بدون أجر", "بلا أجر", "جواز سفر", "جواز السفر"],
        "discriminatory": ["ارجع إلى بلدك", "ارجع الى بلدك", "ارجع لبلدك", "عنصري", "عنصرية", "لهجتي", "بسبب ديني", "بسبب لوني"],
        "organisational": [],
    },
    "pl": {
        "self_harm": ["samobój", "zabić się", "zabije się", "zabiję się", "nie chcę żyć", "nie chce żyć", "skończyć ze sobą", "skończę ze sobą", "tnę się", "ciąć się", "okalecz", "chcę umrzeć", "chce umrzeć"],
        "sexual": ["dotyka", "dotknął", "dotknęła", "molest", "gwałt", "nieprzyzwoit", "seksual", "obmacuj", "zdjęcia nago", "rozbierać"],
        "physical": ["bije", "bił", "biła", "pobił", "pobiła", "uderzył", "uderzyła", "uderza", "popchnął", "popchnęła", "popycha", "szarpie", "szarpał", "siniak", "sińce", "kopnął", "kopie", "spoliczkował", "przypal", "dusił", "dusi"],
        "psychological": ["grozi", "groził", "zastrasza", "krzyczy na", "krzyczał na", "wyzywa", "poniża", "straszy", "ośmiesza", "szantaż", "boję się go", "boję się jej", "boi się go", "boi się jej", "ciężarem"],
        "domestic_actor": ["mąż", "męża", "żona", "mój partner", "mojego partnera", "konkubent"],
        "domestic": ["zamyka mnie", "zamyka ją", "zamyka go", "przemoc domow", "wyrzuci mnie"],
        "financial": ["zabrał", "zabrała", "pieniądze z konta", "wyciąga pieniądze", "zabiera pieniądze", "zabrał pieniądze", "zabiera mi", "zabiera jej", "emerytur", "kartę", "karty", "konto", "pożycza", "pożyczki", "oszuka", "oszust", "ukradł", "ukradła", "kradnie", "kredyt na", "na moje nazwisko"],
        "neglect": ["zaniedb", "głodn", "nie karmi", "nie dostaje jedzenia", "nie dostaje leków", "leżał na podłodze", "leżała na podłodze", "na podłodze", "nie myje", "odleżyn", "brudn", "nikt nie przychodzi", "upadł", "upadła", "sam całymi dniami"],
        "self_neglect": ["znowu pije", "pije", "przestał brać leki", "przestała brać leki", "nie bierze leków", "nie chce żadnej pomocy", "nie chce pomocy", "nie je"],
        "modern_slavery": ["zmusza do pracy", "pracuje za darmo", "bez wynagrodzenia", "zabrali paszport", "paszport", "handel ludźmi"],
        "discriminatory": ["wracaj do swojego kraju", "wracaj do polski", "rasist", "bo jestem polakiem", "bo jestem polką", "z mojego akcentu"],
        "organisational": ["zamknięte drzwi", "nie wolno wychodzić"],
        "psychological_generic": ["przemoc", "znęca"],
    },
    "ro": {
        "self_harm": ["sinucid", "să mă omor", "sa ma omor", "nu mai vreau să trăiesc", "nu mai vreau sa traiesc", "vreau să mor", "vreau sa mor", "mă tai", "ma tai", "să-mi fac rău", "să-mi iau viața"],
        "sexual": ["m-a atins", "a atins-o", "o atinge", "mă atinge", "hărțui", "hartui", "\\bviol(?:at|ată|ata|ul|uri)?\\b", "abuz sexual", "sexual"],
        "physical": ["lovește", "loveste", "m-a lovit", "a lovit", "o bate", "îl bate", "il bate", "mă bate", "ma bate", "bătut", "batut", "împins", "impins", "vânătă", "vanata", "pălmui", "palmui", "zgâriat"],
        "psychological": ["amenință", "ameninta", "amenințat", "țipă la", "tipa la", "jignește", "jigneste", "umilește", "umileste", "înjură", "injura", "îmi e frică de el", "mi-e frică de el", "mi-e frica de el", "povară", "povara"],
        "domestic_actor": ["soțul", "sotul", "soția", "sotia", "concubin", "prietenul meu"],
        "domestic": ["violență domestică", "violenta domestica", "mă închide", "ma inchide"],
        "financial": ["banii", "bani de la", "cardul", "pensia", "a furat", "fură", "fura ", "împrumut", "imprumut", "datorii", "înșelat", "inselat", "țeapă", "pe numele meu"],
        "neglect": ["încuiat", "incuiat", "nemânc", "nemanc", "toată ziua singur", "neglij", "flămând", "flamand", "nu primește mâncare", "nu primeste mancare", "nu-i dau medicament", "nu i se dau medicament", "lăsat singur", "lasat singur", "lăsată singură", "lasata singura", "pe jos", "a căzut", "a cazut", "escare", "murdar", "nu vine nimeni"],
        "self_neglect": ["nu mai ia medicament", "a încetat să ia", "nu vrea ajutor", "bea din nou"],
        "modern_slavery": ["muncă forțată", "munca fortata", "fără plată", "fara plata", "pașaport", "pasaport", "trafic de persoane"],
        "discriminatory": ["întoarce-te în țara ta", "intoarce-te in tara ta", "rasist", "țigan", "tigan"],
        "organisational": [],
        "psychological_generic": ["abuz", "violență", "violenta"],
    },
}

# Signs that harm described is over and dealt with (lower a flag only if nothing says it goes on).
# Weak cues in other languages (merged into the lexicons below at import).
WEAK_OTHER: dict[str, dict[str, list[str]]] = {
 "ur": {
  "psychological": [
   "ڈر لگتا",
   "خوف",
   "ڈرتی ہوں",
   "ڈرتا ہوں",
   "ڈرتی ہیں",
   "ڈرتے ہیں"
  ],
  "financial": [
   "پیسے نہیں دیت",
   "کارڈ رکھت",
   "پنشن رکھ"
  ],
  "self_harm": [
   "اپنے آپ کو ختم",
   "خود کو ختم",
   "جینے کا کوئی فائدہ نہیں"
  ]
 },
 "ur_latn": {
  "self_harm": [
   "apne aap ko khatam",
   "khud ko khatam",
   "khatam kar doon",
   "khatam kar dun",
   "jeene ka koi faida nahi"
  ],
  "psychological": [
   "dar lagta",
   "darti hoon",
   "darta hoon",
   "khauf"
  ],
  "financial": [
   "paise nahi deta",
   "paise nahi deti",
   "card rakhta",
   "card rakhti"
  ]
 },
 "ar": {
  "neglect": [
   "حفاض",
   "حفاضات",
   "طوال اليوم",
   "بدون طعام",
   "لا أحد يساعد"
  ],
  "psychological": [
   "أخاف",
   "اخاف",
   "خائف",
   "خائفة",
   "يصرخ"
  ]
 },
 "pl": {
  "psychological": [
   "boję się",
   "boi się",
   "krzyczy"
  ],
  "neglect": [
   "pieluch",
   "cały dzień sam",
   "cały dzień sama"
  ]
 },
 "ro": {
  "psychological": [
   "mi-e frică",
   "mi-e frica",
   "îi e frică",
   "ii e frica",
   "țipă",
   "tipa la"
  ],
  "neglect": [
   "scutec",
   "toată ziua"
  ]
 },
 "pa": {
  "psychological": [
   "ਡਰ ਲੱਗਦਾ",
   "ਡਰਦੀ ਹਾਂ",
   "ਡਰਦਾ ਹਾਂ"
  ]
 },
 "gu": {
  "psychological": [
   "ડર લાગે",
   "બીક લાગે"
  ]
 },
 "bn": {
  "psychological": [
   "ভয় পাই",
   "ভয় করে",
   "ভয় লাগে"
  ]
 }
}
for _code, _cats in WEAK_OTHER.items():
    for _cat, _pats in _cats.items():
        OTHER[_code].setdefault(_cat, [])
        OTHER[_code][_cat] = OTHER[_code][_cat] + _pats

# ---------------------------------------------------------------------------------------------
# Tier 2: broad harm cues (disclosure-rules-2). The tier-1 lexicons above were tuned on the dev set
# and caught only about half of the disclosures in wording written blind. These cues are deliberately
# wide — fear, hurt and injury words, threats, control, money/benefits/cards taken, being locked in or
# kept in, not fed / left wet / left alone / no medication, sexual touching, slurs, work without pay
# or papers taken, self-harm and suicidal phrases — with morphological variants and SMS spellings, in
# every language and script. Recall first: a false alarm costs a duty worker a minute. Precision is
# protected by the context rules below (non-harm senses, news/training, hypotheticals, clearly
# resolved past harm), not by narrowing these lists.
# ---------------------------------------------------------------------------------------------
_WHO = r"(?:me|him|her|them|us|mum|mom|mam|dad|nan|nana|gran|grandad|my\s+\w+|his\s+\w+|her\s+\w+|residents?|people)"
BROAD_EN: dict[str, list[str]] = {
    "self_harm": [
        r"can'?t\s+(?:do|take|handle|cope\s+with)\s+(?:this|it|life)\s+any\s*(?:more|longer)", r"cant\s+(?:do|take)\s+(?:this|it)\s+any\s*more",
        r"(?:pills|tablets|meds|paracetamol)\s+(?:all\s+)?(?:saved|stored|hidden|collected)", r"sav(?:ed|ing)\s+up\s+(?:my\s+|the\s+|her\s+|his\s+)?(?:pills|tablets|meds)",
        r"(?:walk(?:ing)?|jump(?:ing)?|throw(?:ing)?\s+(?:my|her|him)self)\s+(?:in|into|off|under|in\s+front\s+of)\s+(?:the\s+|a\s+)?(?:river|sea|canal|bridge|train|traffic|bus|road|cliff|car)",
        r"not\s+(?:to\s+)?wake\s+up", r"never\s+(?:to\s+)?wake",
        r"(?:see|is|s)\s+(?:the\s+|any\s+)?point\s+(?:of|in)\s+(?:waking|getting\s+up|living|being\s+here|going\s+on|anything|carrying\s+on)",
        r"what'?s\s+the\s+point\s*(?:any\s*more|anymore|of\s+(?:living|anything|me|going\s+on|it\s+all|waking)|[.!?]*$)", r"no\s+reason\s+to\s+(?:live|go\s+on|get\s+up)",
        r"cut(?:s|ting|tin)?\s+(?:my|her|his|their)\s+(?:arms?|wrists?|legs?|thighs?|skin)", r"(?:started|start|been|keeps?|back\s+to)\s+cutting", r"cutting\s+again",
        r"cuts\s+on\s+(?:my|her|his)\s+(?:arms?|wrists?|legs?)", r"razor\s*blades?", r"\bkms\b", r"unalive", r"(?:want|wanted|wanna)\s+(?:to\s+)?(?:disappear|be\s+dead|go\s+to\s+sleep\s+forever)",
        r"rather\s+be\s+dead", r"(?:everyone|they|family|the\s+family|my\s+\w+)\s+(?:would|wud|will|'d)\s+be\s+better\s+off", r"wish\s+i\s+(?:could\s+)?(?:just\s+)?(?:die|disappear|go\s+to\s+sleep\s+and\s+not)",
        r"(?:tired|sick)\s+of\s+(?:it\s+all|everything|being\s+here)", r"(?:hurt|harm|punish)(?:ing)?\s+(?:my|her|him)\s*self", r"(?:wants?|wanted|wanting)\s+(?:to|2)\s+(?:die|end\s+it)",
        r"plan(?:s|ned|ning)?\s+to\s+(?:end|kill|take)", r"ending\s+it\b", r"(?:no|not\s+any)\s+(?:point|reason)\s+(?:living|being\s+alive)", r"end\s+(?:it|my\s+life|things)\b",
        r"(?:don'?t|dont|do\s+not)\s+want\s+(?:to|2)\s+(?:be\s+)?(?:alive|around|here)\s+any\s*more",
    ],
    "sexual": [
        r"(?<!in\s)(?<!of\s)touch(?:es|ed|ing|in)?\s+(?:my|her|his|their|me|him|them|mum|dad|residents?)\b", r"(?:tries|tried|trying|try)\s+(?:to\s+)?(?:kiss|touch|cuddle|get\s+into)",
        r"kiss(?:ed|es|ing)?\s+(?:me|her|him|them)\b", r"(?:gets?|got|getting|climb\w*|come?s?|came|coming)\s+(?:in|into)\s+(?:her|my|his|their|mum'?s|dad'?s)\s+bed",
        r"(?:comes?|came|coming)\s+(?:in|into)\s+(?:her|my|his|their)\s+room\s+(?:at\s+night|and|when)", r"expos\w+", r"flash(?:es|ed|ing)\b", r"wandering\s+hands",
        r"(?:perv|pervert|perverted|creepy|lech\w*|leer\w*)\b", r"lewd", r"inappropriat\w*", r"private\s+(?:parts|area|bits)", r"(?:his|her)\s+privates",
        r"(?:watch(?:es|ed|ing)?|stares?|staring|peep\w*)\s+(?:at\s+)?(?:me|her|him|them)\s+(?:when|while|in|on|undress\w*|shower\w*|wash\w*)",
        r"(?:our|a|their|his|her)\s+(?:little\s+)?secret", r"(?:sexual|sexy|dirty|rude)\s+(?:comments?|jokes?|texts?|messages?|pictures?|photos?|videos?|remarks?)",
        r"(?:pictures?|photos?|pics?|videos?)\s+of\s+(?:her|him|me|them)\s+(?:naked|undress\w*|in\s+the\s+(?:bath|shower))", r"bra\b|underwear|knickers", r"(?:his|her)\s+hands?\s+(?:up|down|under|on)\s+(?:my|her|his)",
        r"made\s+(?:me|her|him)\s+(?:touch|watch|kiss)", r"(?:sleep|sleeps|slept)\s+with\s+(?:me|her|him)\s+(?:or|for|to)",
    ],
    "modern_slavery": [
        r"passports?", r"(?:keeps?|kept|has|have|took|taken|takes|holds?|held)\s+(?:their|his|her|my|our|your)\s+(?:id|i\.d\.|passports?|documents|papers|visa|cards?)",
        r"(?:no|without|never\s+(?:gets?|got)|doesn'?t\s+get|don'?t\s+get)\s+(?:any\s+)?(?:wages|pay|payment|money|salary)\b", r"pays?\s+(?:them|him|her|me|us)\s+(?:nothing|\w+\s+all|next\s+to\s+nothing|a\s+pittance|£?\d+\s+a\s+(?:day|week))",
        r"(?:owes?|owed|owing)\s+(?:them|him|the\s+\w+)\s+(?:for|money)", r"(?:sleep(?:s|ing)?|living|lives|live)\s+(?:in|at)\s+(?:the\s+)?(?:back|car\s+wash|shop|warehouse|farm|container|garage|shed|van|basement)",
        r"deport\w*", r"made\s+to\s+(?:work|clean|cook|sell|stay)", r"(?:is|are|was|were|being)\s+(?:made|forced)\s+to\b(?!\s+(?:feel|wait|laugh|smile))", r"(?:\d+|twelve|fourteen|sixteen)\s+hours?\s+(?:a|per|every)\s+day",
        r"(?:6|5|six|five)\s*am\s+(?:to|till|until)\s+(?:midnight|late|\d+\s*(?:pm|am))", r"(?:can'?t|cannot|not\s+allowed\s+to)\s+leave",
        r"(?:works?|working|worked)\s+(?:for|at)\s+(?:\w+\s+){0,3}?(?:for\s+)?(?:nothing|free|no\s+money|no\s+pay|food\s+and)", r"car\s+wash|nail\s+bar|cannabis", r"exploit\w*",
        r"county\s+lines", r"(?:brought|smuggled)\s+(?:him|her|them|my\s+\w+)\s+(?:here|over)",
    ],
    "domestic": [
        r"(?:husband|partner|wife|boyfriend|girlfriend|\bbf\b|\bgf\b|fianc\w*|in[-\s]laws?|daughter[-\s]in[-\s]law|son[-\s]in[-\s]law)\b[^.!?]{0,80}(?:hit|hurt|slap|punch|kick|push|shov|grab|threat|shout|scream|swear|control|won'?t\s+let|wont\s+let|doesn'?t\s+let|not\s+allowed|lock|took|take|black\s+eye|temper|kill|said\s+if|says\s+if|beat|chok|strangl|scared|afraid|frighten)",
        r"los(?:es|t|ing)\s+(?:his|her)\s+temper", r"take\s+(?:the|my|our)\s+(?:kids|children|grandchildren)", r"(?:decides?|decided|choos\w+|controls?)\s+what\s+(?:i|she|he)\s+(?:eat|wear|do|spend|buy)",
        r"who\s+(?:i|she|he)\s+(?:can\s+)?(?:see|sees|talk|speak|phone)", r"(?:took|takes|taken|hides?|hid|smashed|broke)\s+(?:my|her|his)\s+(?:phone|fone|mobile|keys|passport)",
        r"(?:afraid|scared|frightened|terrified)\s+(?:to\s+)?(?:be\s+in|go|going|of\s+going)\s+(?:the\s+house|home|back)", r"not\s+allowed\s+out",
    ],
    "physical": [
        r"(?:purple|blue|black|yellow|red)\s+(?:mark|marks|patch|bruise)", r"marks?\s+on\s+(?:her|his|my|their|the)\s+(?:\w+\s+)?(?:back|arm|arms|face|neck|body|legs?|wrists?|chest|cheek|head|skin)",
        r"the\s+marks\b", r"(?:digs?|dug|digging)\s+(?:her|his|their)\s+nails", r"nails\s+in(?:to)?\b", r"hurts?\s+(?:for\s+hours|afterwards|after|when\s+(?:she|he|they))",
        r"twist(?:s|ed|ing)?\b", r"rough(?:ly|er)?\b", r"(?:hold|holds|held|holding|pin\w*)\s+(?:him|her|me|them|mum|dad|\w+)\s+down", r"finger[-\s]?(?:shaped|tip|mark)\w*",
        r"slapp?\w*", r"thump\w*", r"whack\w*", r"clout\w*", r"manhandl\w*", r"shak(?:e|es|ing|en|ook)\s+(?:her|him|me|them)\b", r"(?:pull|pulls|pulled|pulling|drag|drags|dragged|dragging|yank\w*)\s+" + _WHO,
        r"cuts?\s+on\s+(?:my|his|her|the)\s+(?:head|face|arm|lip|leg)", r"(?:throw|throws|threw|throwing|throwin|chuck\w*)\s+(?:things|stuff|plates|cups?|\w+)\s+at", r"kick(?:s|ed|ing|in)?\b", r"kickin\w*",
        r"punch\w*", r"hit(?:s|ting|tin)?\s+(?:me|him|her|them|us|mum|dad|nan|my|his|her)\b", r"hurt(?:s|ing|in)?\s+(?:me|him|her|them|mum|dad|nan)\b", 
        r"(?:sore|swollen|broken|bleeding)\s+(?:arm|arms|wrist|wrists|face|lip|nose|ribs?|eye|hand|fingers?)", r"bruis\w*", r"scratch(?:es|ed|ing)\b", r"shov\w*",
        r"(?:push|pushes|pushed|pushing|pushin)\b(?!\s+(?:for|through|the\s+button|ahead))", r"grab\w*", r"pinch\w*", r"bit\s+(?:me|her|him)", r"force[sd]?\s+(?:her|him|me|them)\b", r"handled\s+(?:roughly|badly)",
        r"\bhit\b", r"scald\w*", r"injur\w*", r"wounds?\b(?!\s+up)",
    ],
    "financial": [
        r"power\s+of\s+attorney\b[^.!?]{0,80}(?:gone|missing|won'?t|wont|refus|spent|taken|empty|down)", r"savings\s+(?:have\s+|has\s+)?(?:gone|went|dropped|disappear\w*|down|vanish\w*)",
        r"(?:gone|went)\s+down\s+by", r"(?:won'?t|wont|refuses?\s+to|doesn'?t|never)\s+(?:show|let\s+(?:us|me)\s+see)\s+(?:us\s+|me\s+|her\s+|him\s+)?(?:any\s+)?(?:the\s+)?(?:statements|accounts|receipts|bank)",
        r"(?:using|uses|used|usin)\s+(?:mums?|mum'?s|dads?|dad'?s|nans?|nan'?s|her|his|my|their|\w+'s)\s+(?:bank\s+)?(?:card|account|money|pin)", r"for\s+(?:her|his|their)\s+own\s+(?:shopping|use|benefit)",
        r"(?:collects?|collected|collecting|draws?|takes?|took|keeps?|kept|has|spends?|spent)\s+(?:his|her|my|their|mum'?s|dad'?s|nan'?s)\s+(?:pension|benefits?|money|savings|wages|allowance|card)",
        r"(?:only\s+)?(?:gets?|got|gives?\s+(?:me|her|him))\s+£?\s?\d+\s+(?:back|a\s+week|to\s+live)", r"(?:lend|lent|loan(?:ed)?)\s+(?:him|her|them)\s+(?:money|cash|£)", r"(?:keeps?|kept|always)\s+asking\s+(?:\w+\s+)?(?:for|to\s+lend)",
        r"(?:given|gave|give)\s+(?:him|her|them)\s+(?:nearly\s+|almost\s+|most\s+of\s+)?(?:all\s+)?(?:my|her|his)\s+(?:savings|money|pension)", r"(?:hasn'?t|hasnt|has\s+not|never|not|won'?t|wont)\s+(?:paid|pay|given|give)\s+(?:\w+\s+)?back",
        r"asking\s+(?:me\s+|her\s+|him\s+)?for\s+more", r"(?:bank|debit|credit|cash)\s*cards?", r"statements?\b[^.!?]{0,40}(?:shopping|spent|missing|withdraw\w*|don'?t\s+recognise)",
        r"money\s+(?:missing|gone|taken|disappear\w*|goes|went)", r"(?:took|take|takes|taking|taken|stole|stolen|steals?)\s+(?:all\s+)?(?:\w+'?s?\s+)?(?:money|cash|pension|savings|card|jewell?ery|rings?)",
        r"(?:pension|benefits?)\s+(?:every|each)\s+(?:week|thursday|monday|tuesday|wednesday|friday|month)", r"(?:withdr[ae]w\w*|took\s+out|takes?\s+out|taken\s+out)\s+(?:£|money|cash|\d+|from\s+(?:her|his|my)|all)", r"(?:empt(?:y|ied)|clear(?:ed)?|drain(?:ed)?)\s+(?:\w+\s+)?(?:account|savings)",
        r"not\s+(?:a\s+)?penny", r"(?:won'?t|wont|doesn'?t|refuses\s+to)\s+give\s+(?:me|her|him)\s+(?:any\s+)?(?:money|my|her|his)",
    ],
    "neglect": [
        r"(?:wet|soaking|soaked|dirty|soiled|full|heavy)\s+(?:pad|pads|bed|sheets|nappy|clothes|trousers|through)", r"left\s+(?:(?!with)\w+\s+)?(?:wet|soiled|dirty|alone|on\s+(?:the|his|her)\s+own|in\s+bed|sitting|lying|on\s+the\s+(?:toilet|commode|floor))",
        r"red\s+raw|raw\s+skin|skin\s+(?:is\s+)?(?:red|raw|sore)", r"(?:hasn'?t|has\s+not|haven'?t|have\s+not|wasn'?t|weren'?t|isn'?t|aren'?t|not)\s+(?:been\s+)?(?:fed|changed|washed|turned|helped\s+(?:to|with)|checked\s+on|given\s+(?:\w+\s+)?(?:food|meals?|drinks?|water|meds|medication|tablets|insulin|inhalers?|pain\s*relief|breakfast|lunch|dinner|tea|anything|her|his|their)|had\s+(?:a\s+)?(?:wash|bath|shower|drink|meal|food|breakfast|lunch|dinner|meds|medication|tablets|insulin|anything\s+to\s+(?:eat|drink)))\b",
        r"struggl\w*\s+to\s+(?:breathe|eat|swallow|walk)", r"(?:call\s+)?bells?\s+(?:are\s+|is\s+)?(?:taking|take|takes|took|ringing)", r"taking\s+(?:up\s+to\s+)?\d+\s+(?:minutes|mins|hours)",
        r"(?:don'?t|dont|doesn'?t|didn'?t|never|won'?t)\s+(?:make|give|bring|get)\s+(?:him|her|them|me|mum|dad)\s+(?:any\s+)?(?:food|meals?|dinner|breakfast|lunch|tea|drinks?|water|a\s+drink|his|her|my)",
        r"(?:fridge|cupboards?)\s+(?:was|were|is|are)\s+(?:empty|bare)", r"lost\s+(?:loads|lots|a\s+lot|so\s+much|\w+\s+stone|\d+\s*(?:kg|kilos?|pounds|lbs?))(?:\s+of\s+weight)?", r"(?:weight\s+loss|losing\s+weight|lost\s+weight)",
        r"(?:toe)?nails?\s+(?:not\s+)?(?:cut|cutting|overgrown|long)", r"asked\s+(?:them\s+|staff\s+)?(?:five|four|three|several|many|loads\s+of|so\s+many|\d+)\s+times", r"(?:nobody|no\s*one|no1|noone)\s+(?:listens|helps|comes|answers|cares|checks)",
        r"(?:no|without|out\s+of|ran\s+out\s+of|run\s+out\s+of)\s+(?:his\s+|her\s+|my\s+)?(?:heating|food|water|medication|meds|tablets|inhalers?|insulin|oxygen|pads|dinner|meals?)",
        r"(?:inhalers?|insulin|tablets|meds|medication|medicine|pills|eye\s+drops|antibiotics)\b[^.!?]{0,40}(?:not\s+given|missed|forgot|late|ran\s+out|run\s+out|(?:wasn'?t|weren'?t|hasn'?t\s+been|haven'?t\s+been)\s+given)",
        r"(?:hungry|thirsty|starv\w*|dehydrat\w*|malnourish\w*|weak\s+from)", r"(?:hours|all\s+(?:day|night)|all\s+nite)\s+(?:in|without|on\s+the)", r"all\s+(?:nite|night|day)\s+again",
        r"(?:bed|pressure)\s*sores?", r"(?:sitting|sat|lying|left)\s+in\s+(?:her|his|their)\s+own", r"(?:fell|falls|falling|fallen)\b[^.!?]{0,40}(?:nobody|no\s*one|hours|again|floor|left)",
        r"(?:nobody|no\s*one|no1)\s+(?:came|comes|come|turned\s+up|noticed|helped)", r"(?:cold|freezing)\s+(?:all|in\s+(?:her|his|the)\s+(?:room|flat|house))",
    ],
    "self_neglect": [
        r"(?:won'?t|wont|doesn'?t|refus\w+\s+to|stopped|not)\s+(?:wash(?:ing)?|eat(?:ing)?|chang\w+\s+(?:his|her)\s+clothes|bath(?:e|es|ing)?|shower(?:ing)?)",
        r"refus(?:es|ed|ing)\s+(?:his|her|my|their|all)\s+(?:\w+\s+)?(?:dialysis|treatment|insulin|medication|meds|tablets|food|meals|care|help|carers?)", r"stopped\s+(?:eating|drinking|taking|washing|going)",
        r"can'?t\s+be\s+bothered", r"(?:full\s+of|piled\s+(?:up\s+)?with|piling\s+up|covered\s+in)\s+(?:rubbish|junk|bags|clutter|papers|boxes|dirt)", r"(?:mice|rats|vermin|cockroach\w*|maggots|flies)\b",
        r"(?:no|without|hasn'?t\s+got|not\s+got)\s+(?:heating|electric|electricity|gas|hot\s+water)", r"(?:won'?t|wont|doesn'?t|refus\w+\s+to)\s+let\s+(?:any(?:one|1|body)|the\s+\w+|us|me|carers?|people)\s+(?:in|help|near)",
        r"hoard\w*", r"(?:filthy|squalor|unwashed|smells?\s+(?:so\s+)?bad|stinks?)\b", r"(?:drinking|drinks)\s+(?:heavily|too\s+much|all\s+day|again|every\s+day)", r"(?:not\s+eating|barely\s+eat\w*|hardly\s+eat\w*)",
        r"(?:won'?t|wont|doesn'?t|refus\w+\s+to)\s+(?:see|let)\s+(?:the\s+)?(?:gp|doctor|nurse|district\s+nurse)",
    ],
    "discriminatory": [
        r"cripple\w*|spastic|spaz|retard\w*|\bmong\b|gypp?o\b|pikey|\bwog\b|\bchink\b|faggot|\bpoof\b|tranny|\bdyke\b|darkie|coon\b|towel\s*head|raghead|pakis?\b",
        r"(?:(?:about|because\s+of)\s+(?:my|his|her|their)\s+(?:\w+\s+)?being|because\s+(?:he|she|i|they)\s+(?:is|am|are|'s))\s+(?:gay|lesbian|bisexual|trans|black|muslim|jewish|disabled|deaf|blind|autistic|foreign|polish|romanian|asian|sikh|hindu)",
        r"(?:laugh\w*|mock\w*|mak\w+\s+fun|jok\w+)\s+(?:at|of|about)\s+(?:my|his|her|their)\s+(?:\w+\s+)?(?:wheelchair|accent|english|disability|religion|clothes|sari|hijab|turban|skin|colou?r|food|name|prayer|sexuality|hearing|speech|weight)",
        r"mimic\w*|imitat\w*", r"(?:call(?:s|ed|ing)?|names?)\s+(?:me|him|her|them)\s+(?:a\s+|the\s+)?['‘\"]?(?:\w+\s+)?(?:foreigner|immigrant|cripple|retard|paki|terrorist|gypsy|freak)",
        r"(?:refus\w+|won'?t)\s+(?:to\s+)?(?:help|wash|shower|feed|serve|touch)\s+(?:him|her|me)\s+because",
        r"comments?\s+about\s+(?:my|his|her|their)\s+(?:son\s+|daughter\s+)?(?:being|race|colou?r|religion|sexuality|disability|accent|skin)",
    ],
    "organisational": [
        r"(?:put|sent|got)\s+to\s+bed\s+(?:by|at|before)\s+(?:[3-8]|three|four|five|six|seven|eight)\b", r"whether\s+they\s+(?:want|like|agree)\s+(?:to\s+)?(?:or\s+not|it\s+or\s+not)",
        r"(?:all|every|everyone|each)\s+(?:of\s+)?(?:the\s+)?(?:residents?|people|patients)\b[^.!?]{0,50}(?:put\s+to\s+bed|got\s+up|woken|crushed|locked|sedated|same\s+time|at\s+\d)",
        r"lock(?:s|ed|ing)?\s+(?:the\s+)?(?:garden|front\s+door|doors?|gates?|lounge|kitchen|fridge)", r"say[-\s]so", r"crush(?:ed|es|ing)?\s+(?:into|in)\s+(?:food|drinks?|yogh?urt|jam)", r"covert(?:ly)?\s+medicat\w*",
        r"(?:for|on)\s+everyone\s+on\s+the\s+(?:unit|ward|floor|wing)", r"(?:it'?s|it\s+is|that'?s|is\s+the|their)\s+policy", r"without\s+(?:any\s+)?(?:assessment|consent|capacity\s+assessment|best\s+interests?)",
        r"(?:nobody|no\s*one|residents?|we|they)\s+(?:can'?t|cannot|are\s+not|aren'?t)\s+(?:go(?:ing)?\s+out|leave|allowed\s+out)", r"lock(?:s|ed|ing)?\s+(?:\w+\s+)?in\s+(?:their|the|our|her|his)\s+rooms?",
        r"(?:so\s+)?(?:the\s+)?(?:night|day)\s+(?:shift|staff)\s+(?:has|have)\s+less\s+to\s+do", r"(?:to\s+suit|for\s+the\s+convenience\s+of)\s+(?:the\s+)?staff", r"blanket\s+(?:rules?|ban)\b",
    ],
    "psychological": [
        r"(?:a|the)\s+burden", r"(?:sent|send|move|moved|put)\s+(?:me|her|him|them)?\s*(?:somewhere|to\s+a)\s+(?:worse|else|home)", r"(?:i'?m|im|i\s+am|she'?s|he'?s|you'?re|ur|is|am|are|being)\s+(?:so\s+|a\s+)?(?:useless|worthless|pathetic|good\s+for\s+nothing)", r"(?:useless|worthless|pathetic)\s+(?:old|cow|man|woman|bitch|git|idiot|lump|thing|waste)", r"good\s+for\s+nothing",
        r"(?:no\s*one|nobody|noone|no1)\s+(?:wants|cares\s+about|loves|would\s+miss)\s+(?:me|her|him|you)", r"stop\s+(?:crying|moaning|whinging|complaining)\s+or", r"or\s+(?:she|he|they|you|i)\s+(?:won'?t|wont|will\s+not)\s+(?:get|have|be\s+allowed)",
        r"(?:won'?t|wont)\s+get\s+(?:her|his|my|your|their)\s+(?:dinner|tea|food|meals?|pudding|cup\s+of\s+tea|visits?|phone)", r"ignor\w+\s+(?:\w+\s+)?(?:completely|all\s+day|for\s+hours)",
        r"(?:scared|scard|afraid|frightened|terrified|petrified|fearful|frit)\b", r"(?:fear|dread)s?\s+(?:of\s+(?:him|her|them|my|his|the\s+(?:staff|carers?|manager|night))|going\s+(?:home|back))", r"threat\w*", r"(?:shout|shouts|shouting|shoutin|shouted|scream\w*|yell\w*|swear\w*|snap\w*)\s+(?:at|to)\b",
        r"(?:told|tells|telling|says|said)\s+(?:me|her|him)\s+(?:i'?m|she'?s|he'?s|i\s+am|she\s+is|he\s+is|im)\s+(?:a\s+|an\s+)?(?:burden|useless|stupid|thick|mad|crazy|nuisance|waste|pest|liar|attention)",
        r"(?:or\s+else|if\s+(?:i|she|he|you)\s+(?:tell|complain|report|ring|call))", r"(?:makes?|made)\s+(?:me|her|him)\s+(?:feel\s+)?(?:small|stupid|worthless|scared|ashamed|cry)", r"belittl\w*|humiliat\w*|intimidat\w*|bully\w*|bullie\w*|bullyin\w*",
        r"(?:cruel|vicious|spiteful)\b", r"(?:nasty|horrible|vile)\s+(?:to|towards|with)\s+(?:me|him|her|them|mum|dad|residents)", r"(?:walking\s+on\s+eggshells|on\s+edge\s+all\s+the\s+time)", r"(?:won'?t|wont|doesn'?t|not)\s+(?:let|allowed?)\s+(?:me|her|him)\s+(?:to\s+)?(?:phone|ring|call|see|visit|go|talk)",
    ],
}

BROAD_OTHER: dict[str, dict[str, list[str]]] = {
    "ur": {
        "self_harm": ["جینا نہیں", "جینے کا", "مر جاؤں", "مر جاوں", "مر جانا", "مرنا چاہ", "مرنے کو", "ختم کر دوں", "ختم کر لوں", "ختم کر دو", "زندگی ختم", "گولیاں اکٹھی", "گولیاں جمع", "کاٹ لی", "کاٹ لیا", "بازو کاٹ", "خود کو مار"],
        "sexual": ["غلط طریقے", "غلط طرح", "غلط جگہ", "ہاتھ لگا", "ہاتھ لگات", "چومن", "بوسہ", "گلے لگات", "کپڑے اتار", "فحش"],
        "physical": ["مارتی ہے", "مارتے ہیں", "پیٹ دیا", "نشان", "زخمی", "کھینچ", "مروڑ", "دھکیل", "ہاتھ اٹھا", "چوٹیں", "ٹھوکر", "لات مار", "مکا مار", "جلا دیا"],
        "psychological": ["ڈر لگ", "ڈری ہوئی", "ڈرا ہوا", "ڈرتی", "ڈرتا", "ڈرے ہوئے", "خوف", "خوفزدہ", "دھمکی", "دھمکا", "چیخت", "چلات", "بوجھ", "بیکار", "بے کار", "نکما", "نکمی", "ذلیل", "ڈانٹ", "بے عزتی"],
        "domestic": ["بند کر دیت", "بند رکھت", "باہر نہیں جانے", "بچے لے", "طلاق", "گھر سے نکال", "فون لے لیا", "فون چھین"],
        "financial": ["بینک کارڈ", "کارڈ لے", "کارڈ رکھ", "پنشن نکال", "پنشن لے", "پنشن رکھ", "پیسے نکال", "کچھ نہیں دیت", "ایک پیسہ", "پیسے واپس نہیں", "بچت", "کھاتے سے", "اکاؤنٹ سے", "پیسے لے جات", "پیسے مانگ"],
        "neglect": ["کھانا نہیں", "گیلی", "گیلا", "گیلے", "گندگی", "پیمپر", "دوا نہیں", "دوائی نہیں", "کوئی نہیں آت", "بھوک", "پیاس", "پانی نہیں", "اکیلی چھوڑ", "اکیلا چھوڑ", "پڑی رہت", "پڑا رہت", "دیکھ بھال نہیں", ],
        "self_neglect": ["نہاتے نہیں", "نہاتی نہیں", "نہاتا نہیں", "کھانا چھوڑ", "کچرا", "گند جمع", "کسی کو آنے نہیں", "مدد نہیں لیت"],
        "modern_slavery": ["پاسپورٹ", "تنخواہ نہیں", "بغیر پیسے", "دن رات کام", "مفت کام", "کاغذات رکھ", "کاغذات لے", "قرض اتار"],
        "discriminatory": ["مذاق اڑا", "کالا کہ", "کالی کہ", "پاکی", "مذہب کا مذاق", "لہجے کا مذاق"],
        "organisational": ["سب کو بند", "تالا لگا", "باہر جانے کی اجازت نہیں", "سب کو سلا"],
    },
    "ur_latn": {
        "self_harm": ["mar jaun", "mar jaon", "mar jaoon", "mar jana", "marna chahti", "marna chahta", "marne ka", "jeene ka", "jeena nahi", "jina nahi", "zindagi khatam", "khatam kar", "khud ko maar", "khud ko zakhmi", "khud ko kaat", "goliyan jama", "goliyan ikathi", "haath kaat", "bazu kaat", "kalai"],
        "sexual": ["galat tareeq", "galat tariq", "galat tarah", "chhoota", "chhuta", "chuta hai", "chhute", "chhuna", "chhed", "gande ishare", "gandi nazar", "haath lagata", "hath lagata", "kapray utar", "kapde utar"],
        "physical": ["thappar", "thapar", "chehre pe nishan", "nishan", "zakhmi", "\\bchot(?:ein|en|ain)?\\b", "chot lag", "dhakka", "dhakke", "ghaseet", "marod", "\\bpeet(?:a|i|e|ta|ti|te)?\\b", "pitai", "hath uthata", "haath uthata", "lath mar", "laat mar", "maarta", "maarti", "maarte"],
        "psychological": ["\\bdar(?:r|ti|ta|te)\\b", "dari hui", "dara hua", "dare hue", "dar lag", "darr lag", "khauf", "dhamki", "dhamkata", "dhamkati", "chillata", "chillati", "cheekhta", "cheekhti", "bojh", "bekaar", "bekar", "nikamma", "nikammi", "zaleel", "daant", "be izzati", "beizzati"],
        "domestic": ["bahar nahi jane", "bahar nahi jaane", "band kar deta", "band kar deti", "band kar dete", "ghar se nikal", "bache le", "bachay le", "bachon ko le", "talaq", "phone le liya", "phone cheen"],
        "financial": ["pension", "atm card", "bank card", "card le", "card rakh", "paise nikal", "paisa nahi", "ek paisa", "paise nahi de", "khud rakh", "rakh leta", "rakh leti", "bachat", "khata khali", "paise wapas nahi", "paise mangta", "paise maangta"],
        "neglect": ["khana nahi", "khaana nahi", "bhooka", "bhooki", "bhook", "pani nahi", "paani nahi", "geela", "geeli", "geele", "gande kapr", "gandi halat", "ganda bistar", "pampers", "dawai nahi", "dawa nahi", "koi nahi aata", "koi nahi ata", "akela chhod", "akeli chhod", "akela chod", "akeli chod", ],
        "self_neglect": ["nahata nahi", "nahati nahi", "nahate nahi", "khana chhod", "khana chor", "kachra", "kisi ko andar nahi", "madad nahi leta", "madad nahi leti"],
        "modern_slavery": ["passport", "tankhwah", "tankha", "tankhah", "din raat kaam", "paise nahi deta", "muft kaam", "kaghzat", "kagzat", "karza utar"],
        "discriminatory": ["mazaq", "mazak", "kala keh", "kaali keh", "kali keh", "paki", "deen ki wajah", "mazhab ki wajah"],
        "organisational": ["sab ko band", "tala laga", "taala laga", "bahar jane ki ijazat nahi", "bahar jaane ki ijazat nahi"],
    },
    "pa": {
        "self_harm": ["ਮਰ ਜਾਵਾਂ", "ਮਰ ਜਾਣ", "ਮਰਨ ਨੂੰ", "ਮਰਨਾ", "ਜੀਣ ਦਾ", "ਜਿਉਣਾ ਨਹੀਂ", "ਜੀਉਣਾ ਨਹੀਂ", "ਜੀਅ ਨਹੀਂ", "ਖ਼ਤਮ ਕਰ", "ਖਤਮ ਕਰ", "ਗੋਲੀਆਂ ਇਕੱਠੀਆਂ", "ਬਾਂਹ ਕੱਟ", "ਆਪਣੇ ਆਪ ਨੂੰ ਮਾਰ"],
        "sexual": ["ਗਲਤ ਤਰੀਕੇ", "ਗ਼ਲਤ ਤਰੀਕੇ", "ਛੂੰਹ", "ਹੱਥ ਲਾ", "ਚੁੰਮ", "ਕੱਪੜੇ ਲਾਹ", "ਗੰਦੇ ਇਸ਼ਾਰੇ"],
        "physical": ["ਮਰੋੜ", "ਖਿੱਚ", "ਧੱਕ", "ਨਿਸ਼ਾਨ", "ਜ਼ਖ਼ਮੀ", "ਜ਼ਖਮੀ", "ਚੋਟ", "ਮਾਰ ਕੁੱਟ", "ਹੱਥ ਚੁੱਕ", "ਲੱਤ ਮਾਰ", "ਮੁੱਕਾ"],
        "psychological": ["ਡਰ ਲੱਗ", "ਡਰਦੀ", "ਡਰਦਾ", "ਡਰਦੇ", "ਡਰੀ ਹੋਈ", "ਡਰਿਆ", "ਖ਼ੌਫ਼", "ਖੌਫ", "ਚੀਕ", "ਚੀਕਦ", "ਝਿੜਕ", "ਬੇਕਾਰ", "ਨਿਕੰਮ", "ਧਮਕਾ", "ਬੇਇੱਜ਼ਤ", "ਗਾਲ੍ਹ"],
        "domestic": ["ਘਰੋਂ ਬਾਹਰ ਨਹੀਂ", "ਬਾਹਰ ਨਹੀਂ ਜਾਣ", "ਜਾਣ ਨਹੀਂ ਦਿੰਦ", "ਬੰਦ ਕਰ ਦਿੰਦ", "ਬੱਚੇ ਲੈ", "ਫ਼ੋਨ ਖੋਹ", "ਫੋਨ ਖੋਹ"],
        "financial": ["ਪੈਸੇ ਕੱਢ", "ਖਾਤੇ ਵਿੱਚੋਂ", "ਪੈਸੇ ਨਹੀਂ ਦਿੰਦ", "ਬਚਤ", "ਪੈਸੇ ਮੰਗ", "ਪੈਸੇ ਵਾਪਸ ਨਹੀਂ"],
        "neglect": ["ਗਿੱਲੇ", "ਗਿੱਲੀ", "ਗਿੱਲਾ", "ਗੰਦ", "ਖਾਣਾ ਨਹੀਂ", "ਰੋਟੀ ਨਹੀਂ", "ਪਾਣੀ ਨਹੀਂ", "ਇਕੱਲੀ ਛੱਡ", "ਇਕੱਲਾ ਛੱਡ", "ਕੋਈ ਨਹੀਂ ਆ", "ਦਵਾਈ ਨਹੀਂ", "ਦਵਾਈ ਨਹੀ", "ਭੁੱਖ"],
        "self_neglect": ["ਨਹਾਉਂਦ", "ਨਹਾਉਂਦੇ ਨਹੀਂ", "ਖਾਣਾ ਛੱਡ", "ਕੂੜਾ", "ਕਿਸੇ ਨੂੰ ਅੰਦਰ ਨਹੀਂ"],
        "modern_slavery": ["ਪਾਸਪੋਰਟ", "ਤਨਖ਼ਾਹ", "ਤਨਖਾਹ", "ਬਿਨਾਂ ਪੈਸੇ", "ਦਿਨ ਰਾਤ ਕੰਮ", "ਮੁਫ਼ਤ ਕੰਮ", "ਕਾਗਜ਼ ਰੱਖ", "ਕਾਗਜ਼ ਲੈ"],
        "discriminatory": ["ਮਜ਼ਾਕ", "ਮਜ਼ਾਕ", "ਮਖੌਲ", "ਕਾਲ਼ਾ ਕਹਿ", "ਕਾਲਾ ਕਹਿ", "ਧਰਮ ਕਰਕੇ"],
        "organisational": ["ਤਾਲਾ", "ਸਾਰਿਆਂ ਨੂੰ ਬੰਦ", "ਬਾਹਰ ਜਾਣ ਦੀ ਇਜਾਜ਼ਤ ਨਹੀਂ"],
    },
    "pa_shahmukhi": {
        "self_harm": ["مر جاواں", "مرنا چاہ", "جیون دا", "جین دا", "ختم کر دیواں"],
        "sexual": ["ہتھ لاند", "غلط طریقے", "غلط طرح"],
        "physical": ["مار دتا", "کٹ دتا", "کُٹ دتا", "سٹ لگ", "سٹاں", "دھکا", "دھکے", "مروڑ", "نشان", "کٹدا", "کٹدی"],
        "psychological": ["ڈر لگد", "ڈردی", "ڈردا", "چیکد", "چیکاں", "بوجھ", "دھمکیاں", "گالاں کڈھ", "بے عزتی"],
        "domestic": ["باہر نئیں جان", "بند کر دیند"],
        "financial": ["پنشن", "پیسے کڈھ", "کارڈ", "کجھ نئیں دیند"],
        "neglect": ["گندے کپڑ", "چھڈ دیند", "کوئی نئیں آندا", "روٹی نئیں", "بھکھ", "دوائی نئیں"],
        "modern_slavery": ["پاسپورٹ", "تنخواہ نئیں", "دن رات کم"],
    },
    "gu": {
        "self_harm": ["મરી જાઉં", "મરી જવ", "મરવું", "મરવા માગ", "જીવવાની ઇચ્છા નથી", "જીવવાનો કોઈ અર્થ", "જીવન ટૂંકાવ", "કાપી નાખ", "ગોળીઓ ભેગી"],
        "sexual": ["ખોટી રીતે", "અડપલાં", "અડે", "હાથ લગાડ", "ચુંબન", "કપડાં ઉતાર"],
        "physical": ["માર મારે", "મારપીટ", "લાફો", "લાફા", "થપ્પડ", "ઉઝરડ", "નિશાન", "વાગ્યું", "મચકોડ", "ધક્કા", "ખેંચ", "હાથ ઉપાડ", "લાત મા"],
        "psychological": ["ડરે છે", "ડરી", "ડર લાગ", "બીક", "ધમકાવ", "ગાળ", "બૂમ", "નકામ", "બોજ", "અપમાન", "ખિજાય"],
        "domestic": ["બહાર જવા દેતા નથી", "બહાર જવા દેતો નથી", "બહાર જવા દેતી નથી", "બંધ કરી", "છોકરાં લઈ", "ફોન લઈ લીધો"],
        "financial": ["બેંક કાર્ડ", "પૈસા પાછા નથી", "પૈસા ઉપાડ", "ખાતામાંથી", "બચત", "પૈસા માગ", "પૈસા નથી આપતો", "પૈસા નથી આપતી"],
        "neglect": ["આપ્યું નથી", "આપ્યો નથી", "આપી નથી", "આપતા નથી", "દવા પણ નહીં", "દવા નહીં", "ભીના", "ભીની", "ભીનો", "ગંદા", "એકલા મૂક", "એકલી મૂક", "ભૂખ", "પાણી નથી", ],
        "self_neglect": ["નહાતા નથી", "નહાતી નથી", "ખાવાનું છોડ", "કચરો", "કોઈને અંદર આવવા દેતા નથી"],
        "modern_slavery": ["પાસપોર્ટ", "પગાર", "મફત કામ", "દિવસ રાત કામ", "કાગળો લઈ"],
        "discriminatory": ["મજાક", "મશ્કરી", "ગંદી", "ગંદો", "કાળી કહ", "કાળો કહ", "ધર્મને કારણે", "જાતિ"],
        "organisational": ["તાળું", "બધાને બંધ", "બહાર જવાની છૂટ નથી"],
    },
    "bn": {
        "self_harm": ["মরে যাব", "মরে যেতে", "মরতে চাই", "বেঁচে থাকার", "বাঁচতে চাই না", "বাঁচতে ইচ্ছে", "জীবন শেষ", "শেষ করে দি", "হাত কাটি", "হাত কেটে", "নিজেকে শেষ", "ঘুমের ওষুধ জমা"],
        "sexual": ["খারাপভাবে", "খারাপ ভাবে", "অশ্লীল", "ছোঁয়", "চুমু", "কাপড় খুল", "গায়ে হাত"],
        "physical": ["দাগ", "মারধর", "ঘুষি", "লাথি", "ধাক্কা", "আঘাত", "ব্যথা দেয়", "মোচড়", "টেনে", "চড় মার", "পিটিয়ে", "মারছে", "মারে"],
        "psychological": ["ভয়ে", "ভয় পায়", "ভয় দেখায়", "হুমকি", "বোঝা", "অপমান", "চিৎকার", "গালাগাল", "অকেজো", "অকর্মা", "ধমক"],
        "domestic": ["বাইরে যেতে দেয় না", "ফোন কেড়ে", "ঘরে আটকে", "বাচ্চাদের নিয়ে যাবে"],
        "financial": ["কার্ড", "টাকা তুলে", "টাকা নিয়ে", "কিছুই দেয় না", "টাকা দেয় না", "সঞ্চয়", "টাকা চায়", "টাকা ফেরত দেয় না"],
        "neglect": ["খেতে দেয়নি", "খাবার দেয়নি", "খাবার দেয় না", "ভেজা", "ভিজে", "নোংরা", "ওষুধ দেয়নি", "ওষুধ দেয় না", "একা ফেলে", "পানি দেয় না", "কেউ আসে না", "ক্ষুধা"],
        "self_neglect": ["খাওয়া-দাওয়া ছেড়ে", "খাওয়াদাওয়া ছেড়ে", "খাওয়া ছেড়ে", "গোসল করেন না", "গোসল করে না", "স্নান করেন না", "স্নান করে না", "ময়লা জমে", "আবর্জনা", "ঢুকতে দেন না", "ঢুকতে দেয় না", "ওষুধ খান না", "ওষুধ খায় না"],
        "modern_slavery": ["পাসপোর্ট", "বেতন ছাড়া", "বিনা বেতনে", "বেতন দেয় না", "দিনরাত কাজ", "দিন রাত কাজ", "কাগজপত্র নিয়ে"],
        "discriminatory": ["ঠাট্টা", "উপহাস", "কালো বলে", "ধর্মের জন্য", "ধর্ম নিয়ে"],
        "organisational": ["তালা দিয়ে রাখে", "বাইরে যেতে পারে না", "বাইরে যেতে দেয় না"],
    },
    "pl": {
        "self_harm": ["\\bnie\\s+chc[eę]\\s+(?:już\\s+)?(?:dłużej\\s+)?żyć", "się zabić", "się zabije", "się zabiję", "odebrać sobie życie", "umrzeć", "umrę", "tnę", "pociąć", "pocięła", "pociął", "skończyć z tym", "nie ma sensu żyć", "nie widzę sensu", "nie chcę się obudzić", "tabletki zbieram", "zbieram tabletki", "samookalecz"],
        "sexual": ["dotyk", "obmacuj", "nieprzyzwoicie", "całuje", "pocałować", "pocałował", "rozbiera", "wkłada rękę", "wkłada ręce", "intymn"],
        "physical": ["ślady", "szarp", "ciągnie", "ciągnął", "popych", "uderz", "bije", "bił", "pobi", "kopn", "kopie", "policzk", "siniak", "sińc", "posiniacz", "wykręc", "ściska", "rani", "zranion"],
        "psychological": ["boję", "boi się", "strach", "przeraż", "grozi", "krzycz", "wyzyw", "poniż", "ciężar", "bezużyteczn", "do niczego", "szantaż", "wyśmiewa", "zastrasz", "straszy"],
        "domestic": ["nie pozwala", "zamyka", "wyrzuci", "zabije mnie", "zabierze dzieci", "zabrał telefon", "zabrała telefon", "kontroluje"],
        "financial": ["karta", "kartę", "karty", "wypłaca", "z konta", "oszczędności", "pożycz", "emerytur", "renta", "rentę", "zasiłek", "zasiłku", "nie oddaje", "nie oddał", "wydaje moje", "wydaje jej", "wydaje jego"],
        "neglect": ["mokr", "brudn", "głodn", "nie dostaje", "nikt nie przychodzi", "bez jedzenia", "bez leków", "leków nie", "nie dali jeść", "nie daje jeść", "nie dostała", "nie dostał", "odparzen", "odleżyn", "zostawiony", "zostawiona", "leży w mokr", "leży w brud", ],
        "self_neglect": ["nie myje się", "nie je", "przestał jeść", "przestała jeść", "śmieci", "bałagan", "nikogo nie wpuszcza", "nie wpuszcza", "zbiera rzeczy", "nie bierze leków"],
        "modern_slavery": ["paszport", "bez wypłaty", "nie dostajemy wypłaty", "nie płaci", "godzin dziennie", "\\bpo\\s+\\d+\\s+godzin", "zabrał dokumenty", "zabrał nam", "\\bdług(?:u|iem|ów|ach)?\\b", "\\bpracuj\\w*\\s+za\\s+darmo", "pracujemy po", "deportac"],
        "discriminatory": ["akcent", "śmieją się z", "cygan", "brudas", "polaczek", "pedał", "kaleka", "rasist", "przez pochodzenie"],
        "organisational": ["wszystkich kładą", "zamykają drzwi", "zamykają nas", "o 18 do łóżka", "o 19 do łóżka"],
    },
    "ro": {
        "self_harm": ["să mor", "sa mor", "să mă sinucid", "sa ma sinucid", "să termin cu viața", "nu mai are rost", "îmi fac rău", "imi fac rau", "mă tai", "ma tai", "nu vreau să mai trăiesc", "nu vreau sa mai traiesc", "să dispar", "pastilele strânse"],
        "sexual": ["atinge", "atins", "pipăi", "pipai", "dezbrac", "indecent", "părțile intime", "partile intime"],
        "physical": ["bate", "bătaie", "lovi", "loveș", "împinge", "impinge", "vânătăi", "vanatai", "vânătă", "vânătaie", "urme", "palme", "trage de", "zgâri", "răsuci", "rănit", "ranit", "rănile"],
        "psychological": ["frică", "frica", "fricã", "sperie", "speriat", "țipă", "tipa", "jignește", "jigneste", "mă dă afară", "ma da afara", "povară", "povara", "sunt inutil", "ești inutil", "esti inutil", "nu valorez", "amenin", "umil", "batjocor"],
        "domestic": ["nu mă lasă", "nu ma lasa", "nu o lasă", "mă închide", "o închide", "îmi ia telefonul", "mi-a luat telefonul", "ia copiii"],
        "financial": ["cardul", "pensia", "banii mei", "banii ei", "banii lui", "economii", "retrage bani", "scoate bani", "cheltuie", "nu-mi dă bani", "nu îmi dă bani", "împrumut", "nu mi-a dat înapoi"],
        "neglect": ["nu-i dă de mâncare", "nu-i dau de mâncare", "nu primește", "nu primeste", "ud ", "udă", "uda ", "murdar", "nu vine nimeni", "flămând", "nemâncat", "fără medicamente", "fara medicamente", "scutec"],
        "self_neglect": ["nu se spală", "nu se spala", "nu mănâncă", "nu mananca", "gunoaie", "nu lasă pe nimeni", "nu lasa pe nimeni", "refuză tratamentul", "refuza tratamentul"],
        "modern_slavery": ["ne-a luat actele", "buletinul", "fără bani", "fara bani", "nu ne plătește", "nu ne plateste", "lucrăm fără", "lucram fara", "dormim în", "dormim in", "muncim", "datori", "pașaport", "pasaport"],
        "discriminatory": ["țigan", "tigan", "râd de", "rad de", "accent", "rasist", "handicapat"],
        "organisational": ["ne încuie", "ne incuie", "toți sunt culcați", "nu avem voie", "nimeni nu are voie", "uși încuiate", "usi incuiate"],
    },
    "ar": {
        "self_harm": ["أموت", "اموت", "أنهي", "انهي", "حياتي بلا معنى", "لا فائدة من الحياة", "أجرح", "اجرح", "أؤذي نفسي", "اؤذي نفسي", "أقتل نفسي", "اقتل نفسي", "أختفي", "لا أريد أن أعيش", "لا اريد ان اعيش"],
        "sexual": ["يلمس", "تلمس", "بطريقة غير لائقة", "غير لائق", "تحرش", "يقبل", "قبلني", "يتحسس", "يخلع ملابس", "عورة"],
        "physical": ["يضربني", "يضربها", "يضربه", "ضربت", "ضربوه", "ضربوها", "آثار", "جرح", "كدم", "يدفع", "يشد", "شدّ", "لوى", "يلوي", "صفع", "ركل", "حرق"],
        "psychological": ["يهددني", "يهددها", "يهدد", "تهدد", "خائف", "خائفة", "أخاف", "اخاف", "خوف", "عبء", "يصرخ", "تصرخ", "يهينني", "يهين", "عديم الفائدة", "عديمة الفائدة", "يشتم", "يسخر"],
        "domestic": ["يمنعني", "يمنعها", "يحبس", "لا يسمح", "يأخذ الأولاد", "أخذ هاتفي", "اخذ هاتفي"],
        "financial": ["بطاقة", "بطاقت", "معاش", "راتب", "سحب", "حسابي", "حسابه", "حسابها", "مدخرات", "أخذ مال", "يأخذ مال", "أموال", "فلوسي", "يقترض", "لا يعيد"],
        "neglect": ["لا يعطون", "لا يعطونها", "لا يعطونه", "بدون طعام", "بدون ماء", "بدون تغيير", "بدون أكل", "مبلل", "مبللة", "متسخ", "متسخة", "جائع", "جائعة", "عطش", "لا أحد يأتي", "لا احد يأتي", "وحده", "وحدها", "لم يعطوه", "لم يعطوها"],
        "self_neglect": ["لا يستحم", "لا تستحم", "لا يأكل", "لا تأكل", "القمامة", "قمامة", "يرفض العلاج", "ترفض العلاج", "لا يسمح لأحد بالدخول"],
        "modern_slavery": ["جواز", "بدون راتب", "بلا راتب", "بدون أجر", "بلا أجر", "ليل نهار", "الأوراق", "أوراقه", "أوراقنا", "يشغلوننا", "يشغلونه"],
        "discriminatory": ["عنصري", "عنصرية", "يسخر من", "بسبب حجاب", "الحجاب", "بسبب دين", "بسبب لون", "لهجت", "معاق"],
        "organisational": ["يقفلون", "مقفل", "مقفلة", "لا يسمح لأحد بالخروج", "الجميع في الفراش"],
    },
}

# "Not safe" in every language served: MSP asks whether people feel safe now, and saying they are not was heard
# only in English ("don't feel safe"). Appended to the broad tier's psychological cues.
_NOT_SAFE: dict[str, list[str]] = {
    "ur": ["محفوظ نہیں", "محفوظ محسوس نہیں", "محفوظ نئیں", "غیر محفوظ محسوس", "غیر محفوظ ہوں"],
    "ur_latn": [r"\b(?:me?h?fo?o?z|mehfuz|mahfuz)\s+(?:mehsoos\s+|mehsus\s+|mehsoos\s+hi\s+)?n(?:ah?|h)(?:i|ee)", r"\bsafe\s+(?:mehsoos\s+|feel\s+)?n(?:ah?|h)(?:i|ee)",
                r"\bghair\s+me?h?fo?o?z"],
    "pa": ["ਸੁਰੱਖਿਅਤ ਨਹੀਂ", "ਸੁਰੱਖਿਅਤ ਮਹਿਸੂਸ ਨਹੀਂ", "ਸੁਰਖਿਅਤ ਨਹੀਂ", "ਅਸੁਰੱਖਿਅਤ ਮਹਿਸੂਸ ਕਰ", "ਅਸੁਰੱਖਿਅਤ ਹਾਂ"],
    "pa_shahmukhi": ["محفوظ نئیں", "محفوظ نہیں", "غیر محفوظ محسوس"],
    "gu": ["સુરક્ષિત નથી", "સલામત નથી", "સુરક્ષિત લાગતું નથી", "સલામત લાગતું નથી", "સુરક્ષિત નથી લાગતું", "સુરક્ષિત અનુભવતી નથી",
           "સુરક્ષિત અનુભવતો નથી", "અસુરક્ષિત અનુભવું", "અસુરક્ષિત લાગે"],
    "bn": ["নিরাপদ না", "নিরাপদ নই", "নিরাপদ নয়", "নিরাপদ নয়", "নিরাপদ বোধ করি না", "নিরাপদ মনে করি না", "নিরাপদ লাগে না",
           "নিরাপদ বোধ করছি না", "নিরাপদ লাগছে না", "নিরাপদ মনে হয় না", "অনিরাপদ বোধ করি", "অনিরাপদ লাগে", "অনিরাপদ লাগছে"],
    "ar": ["لست بأمان", "لست في أمان", "لست آمن", "لست امن", "لا أشعر بالأمان", "لا اشعر بالامان", "لا أشعر بالامان",
           "لا أشعر بأمان", "لا اشعر بأمان", "لا اشعر بامان", "لا أشعر بامان", "ما أشعر بأمان", "لا أحس بالأمان", "لا احس بالامان",
           "لا اشعر بالأمان", "مش حاسس بالأمان", "مش حاسة بالأمان", "مش حاسه بالامان", "ما حاسس بالأمان", "مش آمن", "مش امن"],
    "pl": [r"\bnie\s+czuj[eę]\s+si[eę]\s+(?:teraz\s+|już\s+|juz\s+|tu\s+|tutaj\s+|w\s+domu\s+)?bezpieczn",   # a regex starts with "\"
           r"\bnie\s+jeste[mś]\s+(?:teraz\s+|tu\s+|tutaj\s+)?bezpieczn", r"\bnie\s+jest\s+(?:mi\s+)?(?:tu\s+|tutaj\s+)?bezpiecznie",
           r"\bczuj[eę]\s+si[eę]\s+zagro[żz]on"],
    "ro": [r"\bnu\s+(?:m[ăa]\s+(?:mai\s+)?simt|(?:mai\s+)?sunt|se\s+(?:mai\s+)?simte|(?:mai\s+)?este|(?:mai\s+)?e)\s+(?:deloc\s+|mai\s+)?[îi]n\s+siguran[țţt][ăa]"],
}
for _language, _cues in _NOT_SAFE.items():
    BROAD_OTHER[_language]["psychological"] = BROAD_OTHER[_language]["psychological"] + _cues

# Added from a probe batch of new wording written before blind file 2.
BROAD_EN["organisational"] += [r"not\s+allowed\s+(?:to\s+)?(?:have|use|keep|go|see|leave|my|her|his|our|their|a|any)\b", r"(?:can'?t|cannot|not\s+allowed\s+to)\s+have\s+(?:any\s+)?visit(?:ors|s)",
                               r"because\s+(?:we|i|she|he|they|her\s+family|the\s+family)\s+(?:complained|raised\s+a\s+concern|reported)"]
BROAD_EN["psychological"] += [r"waste\s+of\s+(?:space|oxygen)", r"(?:feel|feels|felt)\s+like\s+(?:rubbish|dirt|nothing|a\s+burden|a\s+nuisance|a\s+prisoner)"]
BROAD_EN["self_harm"] += [r"(?:took|taken|take|taking|swallowed)\s+(?:too\s+many|a\s+lot\s+of|loads\s+of|all\s+(?:my|the|her|his)|a\s+handful\s+of)\s+(?:tablets|pills|meds|paracetamol|painkillers)"]
BROAD_EN["discriminatory"] += [r"(?:dirty|bloody|stupid|filthy|f\w*ing)\s+(?:foreigner|immigrant|paki|muslim|jew|pole|polack|gypsy|romanian|black|asian)",
                                r"(?:call(?:s|ed|ing)?)\s+(?:my|his|her)\s+\w+\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+)?(?:foreigner|immigrant|cripple|retard|paki|terrorist|gypsy|freak|n-word)"]
BROAD_EN["neglect"] += [r"(?:hasn'?t|has\s+not|haven'?t|not|hardly|barely)\s+(?:eaten|drunk|had\s+a\s+drink|been\s+out\s+of\s+bed)\b", r"same\s+(?:chair|bed|clothes|pad|position|nightie|pyjamas)\s+for",
                        r"(?:don'?t|didn'?t|doesn'?t|never)\s+(?:notice|check\s+on|care)\b"]
BROAD_EN["financial"] += [r"(?:took|takes|taking|taken|stole|stolen|steals?|stealing|helping\s+(?:him|her|them)sel(?:f|ves)\s+to)\s+(?:all\s+)?(?:\w+'?s?\s+)?(?:cigarettes|fags|tobacco|belongings|possessions|clothes|shopping|jewell?ery|valuables|post|things)"]

# Added after blind file 2 was measured once (its honest figure is in the README).
BROAD_EN["neglect"] += [r"heating\s+(?:has\s+been\s+|is\s+|was\s+|'s\s+)?(?:broken|off|not\s+working|turned\s+off|cut\s+off)", r"sleep(?:s|ing)?\s+in\s+(?:their|her|his|my|our)?\s*coats", r"overflowing",
                        r"(?:nobody|no\s*one|no1|noone)\s+(?:had|has)\s+(?:been|come|checked|called)", r"since\s+(?:this\s+|the\s+)?(?:morning|breakfast|last\s+night|yesterday)", r"(?:no|without)\s+(?:explanation|care\s+plan)"]
BROAD_EN["self_neglect"] += [r"cancel\w*\s+(?:all\s+)?(?:her|his|my|their)\s+(?:care|carers|calls|visits|support|meals|appointments)", r"mou?ldy", r"(?:rather|want(?:s|ed)?\s+to)\s+be\s+left\s+(?:to\s+it|alone)"]
BROAD_EN["self_harm"] += [r"time\s+i\s+(?:wasn'?t|wasnt|was\s+not|weren'?t)\s+(?:here|around)", r"(?:sorted|written|made|changed|done)\s+(?:out\s+)?my\s+will", r"(?:wasn'?t|wasnt|weren'?t)\s+here\s+any\s*more",
                          r"(?:scratch|pick|bit|bite|hit|burn|punch|bang)\w*\s+my\s*(?:self|arms?|legs?|skin|head|wrists?)\s+(?:until|till|til|against)", r"until\s+(?:they|it|i)\s+bleeds?",
                          r"no\s+reason\s+to\s+(?:keep\s+going|carry\s+on|live|be\s+here|get\s+up)", r"looking\s+(?:up|at)\s+(?:ways|how\s+to)", r"(?:giving|gave)\s+(?:away|out)\s+(?:my|her|his)\s+(?:things|stuff|belongings)"]
BROAD_EN["financial"] += [r"\bpin\b", r"pays?\s+no\s+(?:rent|bills|board|keep)", r"(?:bank\s+)?balance\s+(?:is|was|has|went|dropped)", r"where\s+it\s+was\s+£", r"moved\s+into\s+(?:his|her|their|my)\s+(?:spare\s+room|flat|house|home|place)"]
BROAD_EN["organisational"] += [r"(?:takes?|took|taking)\s+(?:everyone'?s|all\s+(?:the\s+)?residents'?|their|our)\s+(?:phones|mobiles|money|cigarettes|belongings|cards)", r"if\s+(?:they'?ve|they\s+have|you'?ve|i'?ve|we'?ve|she'?s|he'?s)\s+['‘]?behaved", r"(?:the|a)\s+rule\s+for\s+(?:a|months|years)"]
BROAD_EN["physical"] += [r"(?:split|fat|busted|cut)\s+lip", r"(?:won'?t|wont|didn'?t|can'?t|couldn'?t|nobody\s+will)\s+(?:say|tell\s+(?:us|me|her|him))\s+(?:what|how)\s+(?:happened|it\s+happened)", r"(?:gash|graze|skin\s+tear|lump)\s+on"]
BROAD_EN["sexual"] += [r"(?:comes?|coming|came|walks?|walked|barg\w+)\s+(?:in|into)\s+(?:my|her|his|the)\s+(?:bathroom|shower|toilet|bedroom)", r"(?:things|comments|remarks)\s+about\s+(?:my|her|his)\s+(?:body|figure|chest|looks|bum)",
                       r"sit\s+on\s+(?:his|her)\s+(?:knee|lap)", r"wedg\w*\s+a\s+chair"]
BROAD_EN["psychological"] += [r"mak(?:es|ing|e)\s+fun\s+of\s+(?:me|him|her|them|us)", r"in\s+front\s+of\s+(?:everyone|everybody|the\s+others|other\s+residents)", r"just\s+stay\s+in\s+my\s+room"]
# Money taken or hidden is financial abuse, whoever takes it (it was read as domestic, so a carer taking a
# resident's money reached the duty team as "domestic"); a phone, keys or a passport taken is control.
BROAD_EN["financial"] += [r"(?:took|takes|taken|hides?|hid)\s+(?:my|her|his)\s+(?:money|purse)"]
BROAD_EN["domestic"] += [r"read(?:s|ing)?\s+(?:all\s+)?(?:my|her|his)\s+(?:texts|messages|emails|post|letters)", r"turns?\s+up\s+(?:outside|at\s+(?:my|her|his))", r"(?:can'?t|cant)\s+breathe"]
BROAD_OTHER["pl"]["financial"] += ["brakuje", "bierze jej", "bierze mu", "bierze mi", "PIN"]
BROAD_OTHER["pl"]["sexual"] += ["kładzie się obok", "kładzie się do", "wchodzi do mamy w nocy", "w nocy wchodzi", "wchodzi do niej"]
BROAD_OTHER["ro"]["neglect"] += ["nespălat", "nespalat", "nebărbierit", "nebarbierit", "vine doar"]
BROAD_OTHER["ur"]["financial"] += ["زبردستی دستخط", "دستخط کروا", "اپنے نام کر", "اپنے نام کروا"]
BROAD_OTHER["ur"]["psychological"] += ["کسی کو بتای"]
BROAD_OTHER["pa_shahmukhi"]["domestic"] += ["فون نئیں رکھن", "نوں دسیا", "نئیں جان دیندا"]
BROAD_OTHER["ur_latn"]["financial"] = [p for p in BROAD_OTHER["ur_latn"]["financial"] if p != "pension"] + ["pension le", "pension rakh", "pension nikal"]

# Added after blind file 3 was measured once.
BROAD_EN["physical"] += [r"(?:new|another|fresh)\s+(?:plaster|dressing|bandage|mark|cut|graze|injury)", r"(?:staff|they|carers?|nurses?)\s+(?:just\s+)?shrug"]
BROAD_EN["sexual"] += [r"(?:follows?|followed|following)\s+(?:her|me|him)\s+(?:to|into)\s+(?:the\s+)?(?:ladies|gents|toilet|bathroom|bedroom|room)", r"(?:arm|arms|hands?)\s+(?:round|around|on)\s+(?:her|my|his)\s+(?:waist|bottom|bum|chest|leg)",
                       r"forced?\s+(?:him|her)self\s+on"]
BROAD_EN["financial"] += [r"sells?\s+(?:me|her|him|them)\s+['‘\"]?\w+", r"no\s+idea\s+what\s+(?:for|it'?s\s+for|i'?m\s+paying)", r"£\s?\d+\s+a\s+(?:time|go|week|month)"]
BROAD_EN["self_harm"] += [r"(?:looking|look|stare|staring)\s+at\s+the\s+(?:bridge|river|railway|tracks|sea|cliff|pills|tablets)", r"how\s+long\s+i\s+can\s+(?:keep\s+going|go\s+on|carry\s+on|cope|last)"]
BROAD_EN["domestic"] += [r"(?:not\s+to|mustn'?t|can'?t|cannot)\s+(?:leave|come\s+out\s+of)\s+(?:my|her|his)\s+room", r"(?:talks?|speaks?|treats?)\s+(?:to\s+)?(?:me|her|him)\s+like\s+(?:a\s+)?(?:dog|dirt|child|servant|slave|rubbish)"]
for _cat, _pats in BROAD_EN.items():
    EN.setdefault(_cat, [])
    EN[_cat] = EN[_cat] + _pats
# Round 11: harm told in the third person by relatives, advocates and meeting notes, in words the lexicons
# did not know ("takes her glasses away as a punishment", "refused an interpreter", "told him not to
# mention it", "residents have been dropped", "watching her undress", "turning the district nurse away").
# Kept out of the classifier tier's category vocabulary (_cat_grams): their everyday words ("nurse",
# "week", "outside") would tilt its guesses (26 labelled rows changed category when they were in).
LATE_EN: dict[str, list[str]] = {
    "psychological": [r"as\s+(?:a\s+)?punishment", r"(?:feel|feels|felt)\s+like\s+(?:i'?m|i\s+am|she'?s|he'?s|they'?re)\s+in\s+(?:a\s+)?prison",
                      r"(?:told|tells|asked|warned)\s+(?:him|her|me|them|dad|mum)\s+not\s+to\s+(?:mention|tell|say)"],
    "discriminatory": [r"(?<!thank\s)\byou\s+people\b", r"(?:refused|denied|never\s+given)\s+(?:a\s+|an\s+)?(?:bsl\s+)?(?:interpreter|signer|translator)s?\b"],
    "physical": [r"(?:been|was|were|got|being)\s+dropped\b(?!\s+(?:off|in|round|back|at|home|by|from))"],
    "sexual": [r"watch(?:es|ing|ed)?\s+(?:her|him|me|them)\s+(?:undress|get\s+(?:undressed|changed)|strip|naked|in\s+the\s+(?:bath|shower))"],
    "self_neglect": [r"(?:turn(?:s|ing|ed)?|send(?:s|ing)?|sent)\s+(?:away|off)\s+the\s+(?:district\s+)?(?:nurse|carers?|doctor|gp|meals)",
                     r"(?:turn(?:s|ing|ed)?|send(?:s|ing)?|sent)\s+the\s+(?:district\s+)?(?:nurse|carers?|doctor|gp)\s+away",
                     r"let\s+(?:his|her|their|my)\s+(?:diabetes|health|insulin|medication|tablets)\s+(?:go|slide|slip)"],
    "neglect": [r"(?:goes|going|went|gone)\s+hypo", r"(?:baths?|showers?)\s+(?:have|has)\s+been\s+stopped",
                r"only\s+(?:offered|given|gets?|had)\s+a\s+(?:strip\s+)?wash\s+once\s+a\s+(?:week|fortnight)",
                r"(?:residents?|he|she|they|dad|mum|him|her|them)\s+(?:are|is|was|were|being|been|get|gets|got)?\s*left\s+(?:\w+\s+){0,4}?(?:outside|in\s+the\s+cold|in\s+the\s+car\s+park)"],
}
for _cat, _pats in LATE_EN.items():
    EN[_cat] = EN.get(_cat, []) + _pats
for _code, _cats in BROAD_OTHER.items():
    for _cat, _pats in _cats.items():
        OTHER[_code].setdefault(_cat, [])
        OTHER[_code][_cat] = OTHER[_code][_cat] + _pats
# Two tier-1 cues that are also ordinary words and caused false alarms in blind wording:
# Shahmukhi "سٹ" (injury) is the start of "سٹاف" (staff); Gujarati "મારી" is also "my".
OTHER["pa_shahmukhi"]["physical"] = [p for p in OTHER["pa_shahmukhi"]["physical"] if p != "سٹ"]
OTHER["gu"]["physical"] = [p for p in OTHER["gu"]["physical"] if p != "મારી"] + ["મારી નાખ", "મારી મારી"]


RESOLVED = [
    r"dealt\s+with", r"nothing\s+(?:is|was|has\s+been)\s+(?:missing|taken|stolen)", r"thinks\s+(?:people|someone|staff)\s+(?:are|is)\s+(?:stealing|taking)", r"been\s+sorted", r"sorted\s+(?:out|now)", r"no\s+longer", r"not\s+any\s*more", r"hasn'?t\s+been\s+(?:back|round|near)",
    r"has\s+not\s+been\s+(?:back|round)", r"got\s+(?:excluded|sacked|dismissed|arrested|removed|moved)", r"(?:was|were|been|got)\s+(?:sacked|dismissed|suspended|removed|struck\s+off|moved\s+out)",
    r"out\s+of\s+(?:my|her|his)\s+life", r"years?\s+ago", r"in\s+the\s+past", r"(?<!\bare\s)(?<!\bis\s)(?<!\bam\s)(?<!\bget\s)(?<!\bgot\s)(?<!\bbe\s)(?<!'re\s)used\s+to\b", r"not\s+allowed\s+(?:at|near|in)\s+(?:the\s+)?\w+(?:\s+\w+)?\s+now",
    r"is\s+not\s+allowed\s+at", r"by\s+mistake", r"unfounded", r"(?:nobody|no\s+one|no-one)\s+has\s+ever", r"never\s+(?:been\s+)?(?:hurt|harmed|abused)",
    r"apologi[sz]ed", r"safety\s+plan", r"(?:bank|they)\s+(?:returned|refunded|gave\s+back)", r"returned\s+(?:some|part|all)\s+of\s+the\s+money", r"power\s+of\s+attorney\s+now",
    r"looks?\s+after\s+(?:my|her|his)\s+(?:bills|money)\s+properly", r"no\s+further\s+(?:errors|incidents|problems|concerns)", r"none\s+since", r"hasn'?t\s+(?:missed|happened)\s+(?:a\s+single\s+\w+\s+)?since",
    r"(?:new|double[-\s]checking)\s+procedure", r"(?:is|was|are)\s+now\s+in\s+place", r"not\s+about\s+any\s+(?:resident|staff)", r"concern\s+was\s+(?:raised\s+by\s+mistake|unfounded)",
    r"feel\s+(?:safe|safer|better)\s+now", r"(?:happy|safe)\s+again", r"(?:new\s+agency|new\s+carers?)\s+(?:has|have)\s+been\s+(?:good|great|brilliant)",
    r"since\s+(?:trading\s+standards|the\s+police)\s+(?:went|came|got\s+involved)", r"moved\s+(?:out|away)", r"(?:was|got)\s+(?:banned|barred)", r"freedom\s+programme",
    # other languages
    r"aisa\s+kuch\s+nahi\s+hua", r"ab\s+(?:sab\s+)?theek\s+hai\s+aur", "ایسا کچھ نہیں ہوا", "اب ٹھیک ہیں", "حل ہو گیا", "ختم ہو گیا",
    r"już\s+nie", r"bank\s+oddał", r"oddał\s+część", r"dziękujemy\s+za\s+szybką\s+reakcję", r"umówiła\s+się", r"nu\s+mai\s+vine", r"s-a\s+rezolvat",
    "لم يعد", "تم حل", "انتهت المشكلة", "এখন আর", "সমাধান হয়েছে", "હવે નથી", "ઉકેલ આવી", "ਹੁਣ ਨਹੀਂ ਆਉਂਦਾ", "ਹੱਲ ਹੋ ਗਿਆ",
    # disclosure-rules-2: the harm ended / was dealt with (checked with the ongoing-risk rule below)
    r"(?:is|was|been|got|are|were)\s+(?:now\s+)?(?:in\s+prison|jailed|convicted|charged|arrested|cautioned|prosecuted)", r"in\s+prison",
    r"(?:bank|police|they|he|she|it|money)\s+(?:has\s+|have\s+|was\s+|were\s+)?(?:been\s+)?(?:refunded|repaid|returned|paid\s+back|given\s+back)", r"(?:has|have|was|were)\s+(?:been\s+)?(?:repaid|refunded|returned|paid\s+back)",
    r"refunded\s+(?:everything|it\s+all|all|the\s+money|in\s+full)", r"(?:court\s+of\s+protection|deputy)\s+(?:\w+\s+){0,3}?(?:appointed|now|in\s+place|manages?|looks?\s+after)", r"(?:appointed|got)\s+a\s+deputy",
    r"(?:has|have|had)\s+(?:now\s+)?moved\s+(?:to\s+(?:another|a\s+different)|away|out|on|house)", r"moved\s+(?:her|him|them)\s+(?:to\s+)?(?:another|a\s+different)",
    r"feels?\s+(?:much\s+|a\s+lot\s+|so\s+|far\s+)?(?:safe|safer|better|happier|settled)\s+now", r"(?:is|are|am|i'?m|she'?s|he'?s)\s+(?:now\s+)?(?:settled|safe|fine|well|happy)\s+now",
    r"(?:been|kept)\s+(?:well|safe|fine|sober|clean)\s+for\s+(?:\w+\s+)?(?:years?|months?)", r"as\s+a\s+(?:teenager|teen|child|kid|young\s+(?:woman|man))",
    r"turned\s+out\s+(?:nobody|no\s*one|it\s+was|to\s+be)", r"(?:from|after)\s+(?:my|her|his)\s+own\s+fall", r"(?:has|have|had)\s+(?:now\s+)?healed", r"all\s+sorted", r"no\s+more\s+(?:bruises|problems|trouble|incidents|calls|visits)",
    r"(?:had|have\s+had)\s+no\s+(?:problems|trouble|issues|incidents|contact)\s+since", r"(?<!to\s)(?<!n't\s)(?<!not\s)(?:got|have|has|with)\s+(?:my|her|his|our|their)\s+own\s+key", r"(?:can|could)\s+(?:go\s+out|leave|come\s+and\s+go)\s+(?:when(?:ever)?|as)\s+(?:i|she|he|we|they)\s+(?:like|likes|want|wants|wish|please)",
    r"(?:was|were|has\s+been|have\s+been)\s+investigated\s+and", r"(?:changed|replaced)\s+the\s+(?:\w+\s+)?(?:rota|staff|carers?|agency|provider)",
    r"sorted\s+(?:it|things|everything|that)\s+out", r"(?:been|is|was|are|were)\s+(?:fine|ok|okay|well|good)\s+(?:ever\s+)?since", r"(?:got|get|gotten)\s+(?:my|her|his|the|all\s+(?:my|her|his|the))\s+money\s+back",
    r"(?:was|were|got)\s+caught", r"caught\s+on\s+cctv", r"nothing\s+(?:like\s+that\s+)?(?:has\s+)?(?:ever\s+)?happened\s+to\s+(?:me|her|him|us)", r"injunction", r"(?:not|never)\s+seen\s+(?:him|her|them)\s+(?:in|for|since)",
    "قبل سنتين", "قبل سنة", "أعادوا", "تعاملت معه",
    r"(?:has|have|had)\s+been\s+(?:banned|barred|removed|dismissed|sacked|arrested|prosecuted|caught|stopped)", r"(?:she'?s|he'?s|is|are|they'?re)\s+(?:now\s+)?(?:eating|sleeping|doing|managing)\s+(?:well|better)",
    # Urdu / Roman Urdu / Punjabi / Gujarati / Polish / Arabic / Bengali / Romanian
    "پکڑ لیا", "واپس مل گئ", "واپس مل گیا", "اب سب ٹھیک", "اب ٹھیک ہے", "اب کوئی مسئلہ نہیں", "نکال دیا گیا", "جیل",
    r"sab\s+theek\s+hai", r"ab\s+theek\s+hai", r"pakra\s+gaya", r"pakar\s+liya", r"wapas\s+mil\s+ga", r"ab\s+koi\s+masla\s+nahi", r"deputy\s+ban",
    "ਚਲਾ ਗਿਆ ਹੈ", "ਸਭ ਠੀਕ ਹੈ", "ਹੁਣ ਠੀਕ ਹੈ", "ਵਾਪਸ ਮਿਲ ਗਏ", "ਫੜ ਲਿਆ", "کڈ دتی", "کڈ دتا", "واپس مل گئے", "ہن سب ٹھیک", "ہن ٹھیک",
    "પાછા આપ્યા", "હવે કોઈ તકલીફ નથી", "હવે બધું બરાબર", "પકડી લીધો", "પોલીસે પકડ",
    r"została\s+zwolniona", r"został\s+zwolniony", r"zwrócono", r"oddano", r"teraz\s+jest\s+dobrze", r"teraz\s+wszystko\s+(?:w\s+porządku|dobrze)", r"wyprowadził\s+się", r"zatrzymała\s+go\s+policja",
    "انتقل", "بخير الآن", "كل شيء بخير", "تم القبض", "أعيدت", "استرجعنا", "تم فصل",
    "পুলিশ ধরেছে", "এখন সব ঠিক", "এখন নিরাপদ", "নিরাপদ বোধ করি", "اب محفوظ", "بأمان الآن", "czuję się teraz bezpiecznie", "czuje sie teraz bezpiecznie", "acum mă simt în siguranță", "acum ma simt in siguranta", "ফেরত দিয়েছে", "ফেরত পেয়েছি", "চলে গেছে", "বরখাস্ত",
    r"s-a\s+mutat", r"acum\s+sunt\s+liniștit", r"acum\s+e\s+bine", r"acum\s+este\s+bine", r"a\s+fost\s+concediat", r"banii\s+au\s+fost\s+returnați", r"a\s+fost\s+prins",
]
# Signs that it goes on now (override a resolution cue).
CURRENT = [
    r"\bno\s+longer\s+feel\s+safe\b",   # "no longer" is the harm ending; feeling safe ending is the harm
    r"\bstill\b", r"(?<!happy\s)(?<!safe\s)(?<!safer\s)(?<!better\s)(?<!well\s)(?<!fine\s)(?<!myself\s)(?<!smiling\s)\bagain\b(?!\s+thanks)", r"\bkeeps?\b", r"\bevery\s+(?:day|night|week|time|morning|evening)\b", r"\bsince\s+the\s+(?:enquiry|case|investigation)\s+(?:was\s+)?(?:closed|ended|finished)",
    r"\bhasn'?t\s+improved\b", r"\bnothing\s+(?:has\s+been|was|has)\s+(?:done|changed)\b", r"\blast\s+(?:night|nite|week)\b", r"\byesterday\b", r"\bthis\s+morning\b",
    r"\bsame\s+carer\b", r"\bcontinu\w+\b", r"\bnow\s+(?:very|withdrawn|scared|frightened)", r"\bwon'?t\s+stop\b",
    r"phir\s+se", r"ab\s+bhi", r"abhi\s+bhi", r"\broz\b", r"kal\s+raat", "اب بھی", "ابھی بھی", "پھر سے", "ہر روز", "کل رات",
    "ਹਾਲੇ ਵੀ", "ਹੁਣ ਵੀ", "ਫੇਰ ਵੀ", "ਕੋਈ ਨਹੀਂ ਸੁਣਦਾ", "હજુ પણ", "ફરીથી", "રોજ", r"\bznowu\b", r"\bnadal\b", r"\bwciąż\b", r"\bciągle\b", r"\bwczoraj\b", r"\bcodziennie\b",
    "لا يزال", "ما زال", "مازال", "كل يوم", "مرة أخرى", "এখনও", "আবার", "প্রতি সপ্তাহে", "প্রতিদিন", r"\bîncă\b", r"\bdin\s+nou\b", r"\bmereu\b", r"în\s+fiecare\s+zi",
    r"\bnothing\s+(?:was|has\s+been|got|ever\s+got)\s+done\b", r"\bnothing\s+happened\b", r"\bno\s*one\s+did\s+anything\b", r"\bnobody\s+did\s+anything\b", r"\bnow\s+(?:asking|says|he|she|they)\b",
    r"\bstill\s+(?:works?|working|lives?|living|comes?|coming|visits?)\b", r"\b(?:hasn'?t|hasnt|has\s+not|haven'?t|never)\s+(?:paid|given)\s+(?:\w+\s+)?back\b", r"\bcome\s+back\b", r"\bback\s+(?:again|on\s+shift)\b",
]
# Figurative phrases that contain harm words but mean no harm: blanked out before matching.
FIGURATIVE = [
    r"murder\s+a\s+(?:pint|curry|brew|cuppa|coffee|kebab)", r"(?:i'?ll|il|i\s+will)\s+(?:scream|die|kill\s+some(?:one|body))\s*(?:haha|lol|😂)?",
    r"kill\s+for\s+a", r"dying\s+(?:for|to)\s+(?:a|go|see|get|have)", r"to\s+die\s+for", r"killing\s+me\s+(?:haha|lol)", r"die\s+laughing",
    r"fill\s+in\s+\d+\s+more\s+form\s+il\s+scream", r"bored\s+to\s+death", r"scared\s+of\s+the\s+(?:police|process|meeting)", r"hit\s+it\s+off", r"hit\s+the\s+ground\s+running", r"(?:nobody|no\s*one|no-one)\s+(?:went|goes|has\s+gone)\s+without", r"kept\s+in\s+touch", r"(?:i|we|she|he)\s+(?:was|were)\s+(?:a\s+bit\s+|very\s+|so\s+|really\s+)?(?:scared|frightened|nervous|afraid|terrified)\s+(?:of\s+(?:the\s+)?(?:meeting|process|police|hospital|needles?|operation|assessment|social\s+workers?|court)|at\s+first|before|beforehand)", r"(?:scared|afraid|frightened)\s+of\s+(?:needles|the\s+dentist|hospitals?|dogs|heights|the\s+dark)", r"if\s+(?:i|you|she|he|they)\s+(?:ever\s+)?(?:feel|felt)\s+(?:unsafe|scared|at\s+risk)",
    r"hit\s+the\s+(?:shops|town|road)", r"threshold", r"a\s+burden\s+off",
    # "not safe" of a body or a skill, not of a person who harms: on one's feet, to drive, on the stairs
    r"not\s+safe\s+(?:on\s+(?:his|her|my|their|your|our)\s+(?:feet|legs)|on\s+the\s+stairs|to\s+(?:drive|walk|climb|cook|be\s+left\s+with\s+the\s+(?:cooker|oven)))",
    # disclosure-rules-2: other senses of harm words, and hypotheticals
    r"(?:alcohol|substance|drug|drugs|solvent|steroid|gambling)\s+(?:abuse|misuse)", r"report(?:ing)?\s+(?:any\s+)?abuse", r"(?:spot|spotting|recognis\w+|recogniz\w+|prevent\w*|awareness\s+of)\s+(?:\w+\s+)?abuse",
    r"beat\s+(?:me|him|her|us|them)\s+at\b", r"(?:queue|wait\w*|back|legs?|knees?|feet|hips?|head|this|it|heat|traffic|journey|stairs)\s+(?:is\s+|was\s+|are\s+|'s\s+)?killing\s+(?:me|us|him|her)",
    r"(?:ill|i'?ll|il)\s+(?:scream|kill\s+some(?:one|body)|kill\s+(?:him|her|them))\s*(?:haha|lol|😂|🤣|x+)?(?=\s|$|[.!,])[^.!?\n]*(?:haha|lol|😂|🤣)", r"ill\s+(?:scream|kill\s+some(?:one|body))",
    r"scared\s+(?:i'?ll|ill|i\s+will|i\s+might|i'?d)\s+(?:forget|lose|miss|be\s+late|get\s+lost)",
    r"if\s+(?:anyone|anybody|someone|somebody)\s+(?:ever\s+)?(?:did\s+|does\s+|were\s+to\s+|tried\s+to\s+)?(?:hurt|hit|harm|abuse|abused|took|take|steal|stole|touch|touched|threaten)\w*(?:\s+(?:me|her|him|them|us|mum|dad))?",
    r"what\s+if\b(?![^.?!]*\b(?:again|back|still)\b)[^.?!]*", r"worr(?:y|ied|ies|ying)\s+(?:about\s+)?what\s+(?:would|will|might|could)\b[^.?!]*",
    "ভয় লাগছিল, কিন্তু", r"push(?:ed|ing)?\s+for\b",
    r"(?:was|were|am|are)\s+(?:scared|worried|afraid|nervous|frightened)\s+(?:that\s+)?(?:the|it|this)\s+(?:enquiry|meeting|process|investigation|move|change)?\s*would", r"accus\w+\s+(?:people|staff|everyone|carers?|us|me)\s+of\s+(?:stealing|taking)",
    r"shouts?\s+(?:hello|hi|good\s+morning|happy\s+birthday|across)", r"(?:shouts?|shouting|swears?|swearing|yells?|yelling)\s+at\s+the\s+(?:telly|tv|television|football|radio|news|match)",
    r"(?:scared|afraid|frightened|terrified|nervous|petrified)\s+of\s+(?:the\s+)?(?:new\s+)?(?:hoist|lift|stairs|shower|bath|equipment|hospital|dentist|needles|dogs|spiders|heights|flying|falling|change|moving|operation|surgery)",
    r"(?:survey|form|question|questionnaire|leaflet)\s+(?:asks?|asked|is|was)\s+about\s+['‘\"]?(?:abuse|neglect|harm)[^.!?]*",
]

# disclosure-rules-2: past-time markers (a harm sentence with one of these, or with a resolution cue,
# is "covered"; a harm sentence with neither keeps the flag even if another sentence is resolved).
PAST = [
    r"last\s+(?:winter|summer|spring|autumn|month)",
    r"\bin\s+(?:19|20)\d\d\b", "قبل سنتين", "قبل سنة", r"\b(?:two|three|four|five|\d+)\s+years\s+ago",
    r"years?\s+ago", r"months\s+ago", r"back\s+in\s+(?:\d{4}|the\s+day)", r"in\s+(?:19|20)\d\d", r"last\s+year", r"as\s+a\s+(?:child|teenager|teen|kid|girl|boy)", r"when\s+i\s+was\s+(?:young|younger|little|a\s+\w+)",
    r"(?<!\bare\s)(?<!\bis\s)(?<!\bam\s)(?<!\bget\s)(?<!\bgot\s)(?<!\bbe\s)(?<!'re\s)used\s+to", r"previously", r"at\s+the\s+time", r"before\s+(?:the\s+enquiry|the\s+investigation|she\s+moved|he\s+moved|i\s+moved)", r"the\s+one\s+who", r"who\s+(?:was|had\s+been)\b",
    r"\bpehle\b", r"pichle\s+saal", "پہلے", "پچھلے سال", "ਪਹਿਲਾਂ", "ਪਿਛਲੇ ਸਾਲ", "પહેલાં", "ગયા વર્ષે", "আগে", "গত বছর", r"wcześniej", r"w\s+zeszłym\s+roku", r"kiedyś", r"înainte", r"anul\s+trecut",
    "في الماضي", "سابقا", "سابقاً", "العام الماضي", r"\bkdysi\b",
]
# Sentences about the news, television or training describe other people's harm: blanked out.
MEDIA = [
    r"\b(?:on|in)\s+the\s+(?:news|paper|papers|radio)\b", r"\bdocumentar\w*", r"\b(?:tv|television)\s+(?:programme|program|report|show|documentary|drama)", r"\btraining\s+(?:on|about|in)\b",
    r"\bawareness\s+(?:week|session|training|day|course)", r"\b(?:leaflet|poster|booklet|flyer)s?\s+(?:about|on)\b", r"\btalks?\s+on\b", r"\b(?:a|the|police|pcso)\s+talk\s+about\b", r"\bthe\s+film\s+(?:was|is)\b", r"\b(?:film|movie|soap|programme)\s+about\b", r"\b(?:saw|read|heard|watched)\s+(?:on|in|about)\s+(?:the\s+)?(?:news|paper|tv|telly|facebook)",
    "ٹی وی پر", "خبر دیکھی", "خبروں میں", r"\bw\s+telewizji\b", r"reportaż", r"w\s+wiadomościach", "في التلفزيون", "في الأخبار", "টিভিতে", "খবরে", r"la\s+televizor", r"la\s+știri",
    "ਟੀਵੀ ਤੇ", "ਟੀਵੀ 'ਤੇ", "ਖ਼ਬਰਾਂ ਵਿੱਚ", "ટીવી પર", "સમાચારમાં", r"\btv\s+pe\b", r"\bkhabar(?:on)?\s+mein\b",
]


def _sub_alternatives(patterns: list[str]) -> list[str]:
    parts = []
    for p in patterns:
        if p.startswith("\\"):
            parts.append(p)
        elif re.fullmatch(r"[A-Za-z\u00C0-\u024F ,.\-']+", p):
            parts.append(r"\b" + re.escape(p))  # Latin script: match from a word start
        else:
            parts.append(re.escape(p))  # other scripts: plain substring
    return parts


def _compile_sub(patterns: list[str]) -> re.Pattern:
    return re.compile("(?i)(?:" + "|".join(_sub_alternatives(patterns)) + ")")


# Which lexicons can match text in each script (a text is checked with the lexicons of every
# script it contains; English is always included because Latin words appear in every channel).
_SCRIPT_GROUPS = {
    "latin": ("pl", "ro", "ur_latn"),
    "arabic": ("ur", "ar", "pa_shahmukhi"),
    "gurmukhi": ("pa",),
    "gujarati": ("gu",),
    "bengali": ("bn",),
}
_ACTOR_PATTERNS: list[re.Pattern] = [re.compile(
    r"(?i)\b(?:partner|husband|wife|boyfriend|girlfriend|bf|gf|ex|fianc\w*|son[-\s]in[-\s]law|daughter[-\s]in[-\s]law|in[-\s]laws?)\b")]


class _Gated:
    """A compiled ``re`` pattern behind a fast RE2 gate: a text the gate cannot match is not scanned.

    Python's ``re`` tries every alternative of these lexicons at every word start, which made the
    check the slowest step of the pipeline (about 1.5 ms an English comment). RE2 matches all the
    alternatives at once in linear time, but its ``\\b``, ``\\w`` and ``\\s`` are ASCII-only and it
    has no look-around. So the gate is a *relaxed* copy of the pattern — word boundaries and
    look-arounds dropped (which can only add matches), classes widened (``_relaxed_source``) — and the real
    ``re`` pattern still decides and gives the spans. Whatever the gate says, the result is exactly
    the ``re`` result (tests/unit/text/test_disclosure_gate.py checks every labelled text)."""

    __slots__ = ("pattern", "gate")

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.gate = _relaxed_re2(pattern.pattern)

    def _cannot_match(self, text: str) -> bool:
        if self.gate is None or "\u0131" in text or "\u0130" in text:
            return False  # re's IGNORECASE folds dotless ı / dotted İ into i; RE2 does not
        try:
            return not self.gate.search(text)
        except UnicodeError:  # a lone surrogate cannot be encoded for RE2: let re decide
            return False

    def finditer(self, text: str):
        if self._cannot_match(text):
            return iter(())
        return self.pattern.finditer(text)

    def search(self, text: str):
        if self._cannot_match(text):
            return None
        return self.pattern.search(text)

    def sub(self, repl, text: str) -> str:
        if self._cannot_match(text):
            return text
        return self.pattern.sub(repl, text)


_LOOKAROUND = re.compile(r"\(\?<?[=!]")
_WIDE = {"w": r"\S", "s": r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]", "d": r"\p{Nd}"}
_ANY = "(?s:.)"
_COUNTED = re.compile(r"\{\d*,?\d*\}")


def _class_end(src: str, i: int) -> int:
    """Index just past the character class that starts at ``src[i] == "["``."""
    j = i + 1
    if j < len(src) and src[j] == "^":
        j += 1
    if j < len(src) and src[j] == "]":
        j += 1  # a leading "]" is a literal
    while j < len(src) and src[j] != "]":
        j += 2 if src[j] == "\\" else 1
    return j + 1


def _relaxed_source(src: str) -> str:
    r"""A pattern that matches wherever ``src`` matches (and maybe more), in RE2's syntax: word
    boundaries, anchors and look-arounds dropped, \w widened to any non-space character (RE2's \S; a Unicode
    letter class made the automaton ten times slower), \s and \d widened to Unicode, any negated class or class
    holding a class escape replaced by "any character", and counted repeats made unbounded."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if c == "\\" and i + 1 < n:
            nxt = src[i + 1]
            if nxt in "bBAZz":
                pass  # a zero-width assertion: dropping it only adds matches
            elif nxt in _WIDE:
                out.append(_WIDE[nxt])
            elif nxt in "WSD":
                out.append(_ANY)
            else:
                out.append(src[i:i + 2])
            i += 2
        elif c == "[":
            j = _class_end(src, i)
            body = src[i:j]
            negated = body.startswith("[^")
            out.append(_ANY if negated or re.search(r"\\[wsdWSD]", body) else body)
            i = j
        elif _LOOKAROUND.match(src, i):
            depth, j = 0, i
            while j < n:  # skip the whole look-around, nested groups and classes included
                if src[j] == "\\":
                    j += 2
                    continue
                if src[j] == "[":
                    j = _class_end(src, j)
                    continue
                if src[j] == "(":
                    depth += 1
                elif src[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            i = j + 1
        elif c in "^$":
            i += 1  # anchors too ("$" also matches before a final newline in re, not in RE2)
        elif c == "{" and _COUNTED.match(src, i):
            out.append("*")  # X{m,n} -> X*: wider, and keeps RE2's automaton small
            i = _COUNTED.match(src, i).end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _relaxed_re2(src: str):
    """The RE2 gate for ``src``, or None (no RE2, or a pattern it cannot take): then no gate."""
    if _re2 is None:
        return None
    flags_i = src.startswith("(?i)")
    body = _relaxed_source(src[4:] if flags_i else src)
    if not body:
        return None
    opts = _re2.Options()
    opts.case_sensitive = not flags_i
    opts.max_mem = 64 << 20
    try:
        return _re2.compile(body, opts)
    except Exception:  # RE2 rejects it: scan with re alone
        return None


def _build() -> dict[str, dict[str, "_Gated"]]:
    """One compiled alternation per (script group, category): about a dozen scans per text."""
    for lang in OTHER.values():
        if lang.get("domestic_actor"):
            _ACTOR_PATTERNS.append(_compile_sub(lang["domestic_actor"]))
    table: dict[str, dict[str, re.Pattern]] = {}
    for script, langs in _SCRIPT_GROUPS.items():
        table[script] = {}
        for cat in CATEGORIES:
            alts = [f"(?:{p})" for p in EN.get(cat, [])] if script == "latin" else []
            en_prefix = r"\b(?:" + "|".join(alts) + ")" if alts else None
            other = []
            for code in langs:
                lex = OTHER[code]
                other += _sub_alternatives(lex.get(cat, []))
                if cat == "psychological":
                    other += _sub_alternatives(lex.get("psychological_generic", []))
            pieces = ([en_prefix] if en_prefix else []) + other
            if pieces:
                table[script][cat] = _Gated(re.compile("(?i)(?:" + "|".join(pieces) + ")"))
    return table


_TABLE = _build()
_RESOLVED = re.compile("(?i)(?:" + "|".join(
    p if p.startswith("\\") else r"\b" + p if ("\\s" in p or "(?" in p or p.isascii()) else re.escape(p)
    for p in RESOLVED) + ")")
_CURRENT = re.compile("(?i)(?:" + "|".join(p if "\\" in p else re.escape(p) for p in CURRENT) + ")")
_FIGURATIVE = re.compile(r"(?i)\b(?:" + "|".join(FIGURATIVE) + ")")
# Time words ("last night", "yesterday") say "recent" only in a sentence that holds a harm cue; the
# other ongoing cues ("still", "again", "keeps", "nothing was done") count anywhere in the text.
_TIME_ONLY = {r"\blast\s+(?:night|nite|week)\b", r"\byesterday\b", r"\bthis\s+morning\b", r"kal\s+raat", "کل رات", r"\bwczoraj\b"}
_CURRENT_ANYWHERE = re.compile("(?i)(?:" + "|".join(p if "\\" in p else re.escape(p) for p in CURRENT if p not in _TIME_ONLY) + ")")
_MEDIA_KEEP = re.compile(r"(?i)\b(?:still|again|to\s+(?:me|mum|dad|my\s+\w+)|here\s+too)\b")
_PAST = re.compile("(?i)(?:" + "|".join(p if "\\" in p else re.escape(p) for p in PAST) + ")")
_MEDIA = re.compile("(?i)(?:" + "|".join(p if "\\" in p else re.escape(p) for p in MEDIA) + ")")
# A sentence ends at Latin, Devanagari/Bengali/Gurmukhi (। ॥), Urdu (۔), Arabic (؟), ellipsis and
# full-width stops. The rules judge media and resolution sentence by sentence, and the classifier tier
# scores the same sentences as passages: one splitter for both.
_SENTENCE = re.compile(r"[^.!?।॥۔؟…。！？\n]+[.!?।॥۔؟…。！？\n]*")
# The cue lists run on every text (or every sentence): behind the RE2 gate too (see _Gated).
_RESOLVED, _CURRENT, _FIGURATIVE, _CURRENT_ANYWHERE, _PAST, _MEDIA = (
    _Gated(p) for p in (_RESOLVED, _CURRENT, _FIGURATIVE, _CURRENT_ANYWHERE, _PAST, _MEDIA))


def passages(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` that has any non-space character."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


@dataclass(frozen=True)
class DisclosureResult:
    flag: bool
    category: str | None
    evidence: list[str] = field(default_factory=list)
    resolved_evidence: list[str] = field(default_factory=list)  # cues that lowered the flag
    # Raised by the classifier tier alone, no cue the rules know: tuned for recall, so such a flag is less
    # sure (an SMS questionnaire goes on after one rather than ending at once; see channels/sms/flows.py).
    by_classifier: bool = False

    def to_dict(self) -> dict:
        return {"flag": self.flag, "category": self.category, "evidence": list(self.evidence)}


_SCRIPT_TESTS = (
    # (U+FEFF, the byte-order mark, sits just after the Arabic presentation forms: not Arabic)
    ("arabic", re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFC]")),
    ("gurmukhi", re.compile(r"[\u0A00-\u0A7F]")),
    ("gujarati", re.compile(r"[\u0A80-\u0AFF]")),
    ("bengali", re.compile(r"[\u0980-\u09FF]")),
)


def _scripts(text: str) -> list[str]:
    return ["latin"] + [name for name, pat in _SCRIPT_TESTS if pat.search(text)]


_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")


def script_of(text: str) -> str:
    """The script most of the text's letters are in: "latin", "arabic", "gurmukhi", "gujarati",
    "bengali", or "other" (another script, or no letters at all). Latin letters count for half, so
    English words inside Bengali feedback ("pension", "carer") do not make it Latin."""
    counts = {name: len(pat.findall(text)) for name, pat in _SCRIPT_TESTS}
    latin = len(_LATIN_LETTER.findall(text))
    counts["other"] = max(0, sum(ch.isalpha() for ch in text) - latin - sum(counts.values()))
    counts["latin"] = latin / 2
    best = max(counts, key=counts.get)
    return best if counts[best] else "other"


def _blank(text: str, pattern: "_Gated | re.Pattern") -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def check(text: str, extra_texts: tuple[str, ...] = (), language: str | None = None) -> DisclosureResult:
    """Check ``text`` (the original); ``extra_texts`` (e.g. an English translation) add cues but
    evidence is always taken from the original when the original matched anything. ``language`` is
    the detected language (ISO 639-1, or "und"): it can only lower the classifier tier's threshold
    (see ``_Model.threshold_for``)."""
    result = _check_one(text)
    if result.flag:
        return result
    if language == "en" and not text.isascii():
        # "i want to kíll myself": English with an accent put on a letter reads as the plain word (one
        # character for one, so the evidence is the original's words at the same places)
        plain = unaccented(text)
        if plain != text:
            r = _check_one(plain)
            if r.flag:
                evidence = [text[i:i + len(e)] if (i := plain.find(e)) >= 0 else e for e in r.evidence]
                return DisclosureResult(True, r.category, evidence)
    extra_results = []
    for extra in extra_texts:
        r = _check_one(extra)
        if r.flag:
            return DisclosureResult(True, r.category, [f"(translation) {e}" for e in r.evidence])
        extra_results.append(r)
    found = _classifier_tier(text, result, language)
    if found.flag:
        return found
    # The English of a translation is read as English is, classifier included: for words in a language
    # the classifier hardly knows (French, Russian: "und") the translation is where their meaning is, and
    # the rules alone find about two thirds of what the classifier adds on English.
    for extra, r in zip(extra_texts, extra_results):
        t = _classifier_tier(extra, r, "en")
        if t.flag:
            return DisclosureResult(True, t.category, [f"(translation) {e}" for e in t.evidence], by_classifier=True)
    return found


def check_rules(text: str) -> DisclosureResult:
    """The cue lexicons alone (tiers 1 and 2), without the classifier tier: for short notes staff write,
    such as a meeting's agreed actions ("Fix the lock on the toilet door"), which the classifier, tuned
    not to miss a resident's words, flags on single words ("door", "toilet")."""
    return _check_one(text)


def _check_one(text: str) -> DisclosureResult:
    if not text or not text.strip():
        return DisclosureResult(False, None)
    cleaned = _blank(text, _FIGURATIVE)
    cleaned = _blank_media_sentences(cleaned)
    hits: list[tuple[int, str, int, int]] = []  # (category rank, category, start, end)
    for script in _scripts(cleaned):
        for rank, cat in enumerate(CATEGORIES):
            pat = _TABLE[script].get(cat)
            if pat is None:
                continue
            for m in pat.finditer(cleaned):
                if m.end() > m.start():
                    hits.append((rank, cat, m.start(), m.end()))
    if not hits:
        return DisclosureResult(False, None)
    evidence = []
    for _, _, s, e in sorted(hits, key=lambda h: h[2]):
        phrase = text[s:e].strip()
        if phrase and phrase not in evidence:
            evidence.append(phrase)
    # A resolution cue that shares words with a harm cue saying "not" is no resolution: "feel safe now" in "I
    # don't feel safe now", "بأمان الآن" in "لا أشعر بأمان الآن", "এখন নিরাপদ" in "এখন নিরাপদ বোধ করি না" (it cleared
    # the whole text, the classifier not asked). Others still are: "used to" in "my ex used to control", "never
    # hurt me" around "hurt me".
    outside_harm, resolved = list(cleaned), []
    for m in _RESOLVED.finditer(cleaned):
        if any(s < m.end() and m.start() < e and _NEGATION.search(cleaned, s, e) for _, _, s, e in hits):
            outside_harm[m.start():m.end()] = " " * (m.end() - m.start())
        else:
            resolved.append(m.group().strip())
    outside_harm = "".join(outside_harm)
    if resolved and not _ongoing(cleaned, hits, outside_harm):
        return DisclosureResult(False, None, [], resolved)
    category = _choose_category(hits, cleaned)
    return DisclosureResult(True, category, evidence)


# A "not" in each language served (for the resolution cue rule in _check_one).
_NEGATION = re.compile(r"(?i)(?:\bnot\b|n'?t\b|\bdont\b|\bno\b|\bnever\b|\bnu\b|\bnie\b|\bnahi|\bnhi\b|\bnai\b|"
                       r"لا|ما|مش|لست|نہیں|نئیں|না|নই|নয়|নয়|નથી|ਨਹੀਂ)")


def _blank_media_sentences(text: str) -> str:
    """Blank sentences that report the news, television or training (other people's harm),
    unless they also say something goes on now."""
    if not _MEDIA.search(text):
        return text
    out = []
    for sent in _SENTENCE.finditer(text):
        chunk = sent.group()
        if _MEDIA.search(chunk) and not _MEDIA_KEEP.search(chunk):
            chunk = " " * len(chunk)
        out.append(chunk)
    return "".join(out)


def _ongoing(text: str, hits, outside_harm: str | None = None) -> bool:
    """True unless the text clearly says the harm ended or was dealt with and nothing says there is a
    present risk: no sentence may say it goes on ("still", "again", "every night", "nothing was
    done", ...), and every sentence with a harm cue must hold a resolution cue or a past-time marker
    itself, or stand within two sentences of one that holds a resolution cue. Resolution cues are looked
    for in `outside_harm` when given: the text with the resolution cues that are no resolution (see
    _check_one) blanked."""
    outside_harm = text if outside_harm is None else outside_harm
    sentences = [(m.start(), m.end(), m.group()) for m in _SENTENCE.finditer(text)]
    if any(_CURRENT_ANYWHERE.search(chunk) for _, _, chunk in sentences):
        return True
    resolved_at = [i for i, (s, e, _) in enumerate(sentences) if _RESOLVED.search(outside_harm[s:e])]
    for i, (s, e, chunk) in enumerate(sentences):
        if not any(s <= h[2] < e for h in hits):
            continue
        if _CURRENT.search(chunk):
            return True
        if _RESOLVED.search(outside_harm[s:e]) or _PAST.search(chunk):
            continue
        if any(abs(i - j) <= 2 for j in resolved_at):
            continue
        return True
    return False


def _choose_category(hits, text: str) -> str:
    counts: dict[str, int] = {}
    for _, cat, _, _ in hits:
        counts[cat] = counts.get(cat, 0) + 1
    # Domestic wins over physical/psychological when a partner or in-law is the actor.
    if "self_harm" in counts:
        return "self_harm"
    if "sexual" in counts:
        return "sexual"
    if any(c in counts for c in ("physical", "psychological", "domestic")) and any(
            p.search(text) for p in _ACTOR_PATTERNS):
        return "domestic"
    for cat in ("sexual", "modern_slavery", "domestic", "discriminatory", "organisational"):
        if cat in counts:
            return cat
    if "physical" in counts:
        return "physical"
    if "financial" in counts and counts["financial"] >= counts.get("psychological", 0):
        return "financial"
    if "self_neglect" in counts and counts["self_neglect"] >= counts.get("neglect", 0):
        return "self_neglect"
    if "neglect" in counts:
        return "neglect"
    if "financial" in counts:
        return "financial"
    return max(counts, key=counts.get)


# ---------------------------------------------------------------------------------------------
# Tier 3 (disclosure-rules-2): a small linear classifier as an extra recall tier.
#
# Hashed character n-grams (3-5, inside word boundaries) and word uni/bigrams -> logistic regression
# (disclosure vs not), trained on the labelled sets (dev, blind file 1, the test paraphrases) plus
# general hospital feedback as negatives. It only adds flags the rules missed; a text the rules
# judged clearly resolved stays unflagged. Its evidence is the words of the original text whose
# features pushed the score up most. Ships as service/text/models/disclosure/ (NPZ + JSON); numpy
# only at run time. Train: python -m service.text.evaluation disclosure-train
# ---------------------------------------------------------------------------------------------
import json as _json
import zlib as _zlib
from pathlib import Path as _Path

MODEL_DIR = _Path(__file__).resolve().parent / "models" / "disclosure"
_N_BUCKETS = 1 << 20
_TOKEN = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset("""the and for are but not you all any can had her was one our out his has him how its may new now
own see two who did get got let put say she too use with that this they them then than there their what when which
while will would could should have from been were into your about after again also because before being both each
few more most other some such only very just don dont didn isn wasn aren weren hasn haven mum dad mrs miss
staff carer carers home said says told resident residents meeting""".split())


def _features(text: str) -> tuple[list[int], list[tuple[int, int, list[int]]]]:
    """Hashed feature ids of ``text`` and, per word, (start, end, its feature ids) for evidence."""
    # "İ" is the one letter whose lower case is two characters: it would shift every later position
    low = text.replace("İ", "I").lower()
    words = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(low)]
    per_word = []
    feats: set[int] = set()
    crc = _zlib.crc32
    for i, (s, e, w) in enumerate(words):
        if len(w) < 3 or w in _STOP:
            continue  # function words carry no evidence and made the scores drift
        ids = [crc(("w:" + w).encode()) % _N_BUCKETS]
        if i + 1 < len(words):
            ids.append(crc(("b:" + w + " " + words[i + 1][2]).encode()) % _N_BUCKETS)
        padded = " " + w + " "
        L = len(padded)
        for n in (3, 4, 5):
            for j in range(0, L - n + 1):
                ids.append(crc(("c:" + padded[j:j + n]).encode()) % _N_BUCKETS)
        per_word.append((s, e, ids))
        feats.update(ids)
    return sorted(feats), per_word


def logistic(z: float) -> float:
    """The classifier's score for a linear sum ``z``."""
    return 1.0 / (1.0 + np.exp(-z))


def language_key(language: str | None, script: str) -> str:
    """How thresholds by language are keyed: "ro:latin" (Roman Urdu "ur:latin" and Urdu script
    "ur:arabic" are scored differently, so they are told apart)."""
    return f"{language}:{script}"


class _Model:
    def __init__(self, index, weights, bias, threshold, version, thresholds_by_script=None,
                 thresholds_by_language=None):
        order = np.argsort(index)
        self.index = np.asarray(index, dtype=np.int64)[order]
        self.weights = np.asarray(weights, dtype=np.float32)[order]
        self.bias = float(bias)
        self.threshold = float(threshold)
        self.thresholds_by_script = {k: float(v) for k, v in (thresholds_by_script or {}).items()}
        # keyed "language:script" ("ro:latin"); only ever lower than that script's threshold
        self.thresholds_by_language = {k: float(v) for k, v in (thresholds_by_language or {}).items()}
        self.version = version

    def threshold_for(self, text: str, language: str | None = None) -> float:
        """The threshold for the text's script. Scores are not comparable across scripts: a model
        that has seen far fewer Bengali than Latin-script texts scores Bengali less surely, so each
        script with enough labelled rows gets the threshold that finds the target share of its own
        disclosures (``evaluation.choose_thresholds``); other scripts (Devanagari, Cyrillic, text
        without letters) get the overall threshold. A language the model knows less well than the
        rest of its script (Romanian among the Latin-script languages) may have a lower threshold of
        its own, used when the pipeline detected that language; a language never raises it. Words in a
        language we do not serve ("und") get the lowest threshold of their script's languages: the check
        knows them least, and they may be Romanian (or Arabic in Latin letters) it did not recognise."""
        script = script_of(text)
        threshold = self.thresholds_by_script.get(script, self.threshold)
        if language == "und":
            threshold = min([threshold, *(value for key, value in self.thresholds_by_language.items()
                                          if key.endswith(f":{script}"))])
        elif language:
            threshold = min(threshold, self.thresholds_by_language.get(language_key(language, script), threshold))
        return threshold

    def _w(self, ids) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        pos = np.searchsorted(self.index, ids)
        pos[pos >= len(self.index)] = 0
        hit = self.index[pos] == ids
        return np.where(hit, self.weights[pos], 0.0)

    def score(self, text: str) -> tuple[float, list[tuple[int, int, list[int]]], list[int]]:
        feats, per_word = _features(text)
        if not feats:
            return 0.0, per_word, feats
        z = self.bias + float(self._w(feats).sum()) / np.sqrt(len(feats))
        return logistic(z), per_word, feats

    def score_passages(self, text: str) -> tuple[float, list[tuple[int, int, list[int]]], list[int]]:
        """The score the tier decides on: the mean of the whole text's score and its most worrying
        passage's (a sentence, or two sentences together). A disclosure buried in a long, warm
        comment ("lovely staff ... P.S. my nephew keeps my bank card") is diluted in the whole text;
        the passage alone would make every short worried sentence a flag. Measured out of fold on the
        training files when this was introduced, the whole-text score alone topped out at 0.94 recall
        however low its threshold; the mean reached 0.95 (see ``evaluation.train_disclosure``).
        Returns the per-word features and features of the best passage, so the evidence shown is the
        words of that passage."""
        p_whole, per_word, feats = self.score(text)
        spans = passages(text)
        if len(spans) < 2 or not per_word:
            return p_whole, per_word, feats  # one passage: it is the whole text
        weight = dict(zip(feats, self._w(feats).tolist()))  # one lookup for every passage
        windows = spans + [(spans[i][0], spans[i + 1][1]) for i in range(len(spans) - 1)]
        best_p, best_words, best_feats = p_whole, per_word, feats
        seen: set[tuple[int, ...]] = set()
        for s, e in windows:
            words = [w for w in per_word if s <= w[0] < e]
            key = tuple(w[0] for w in words)
            if not words or len(words) == len(per_word) or key in seen:
                continue
            seen.add(key)
            ids = sorted({i for w in words for i in w[2]})
            z = self.bias + sum(weight[i] for i in ids) / np.sqrt(len(ids))
            p = logistic(z)
            if p > best_p:
                best_p, best_words, best_feats = p, words, ids
        return (p_whole + best_p) / 2.0, best_words, best_feats

    @property
    def base_score(self) -> float:
        """The score of a text the model knows nothing about (its intercept alone)."""
        return logistic(self.bias)

    def words_point_to_harm(self, p: float) -> bool:
        """True when the text's words raised the score above the base score. A text the model knows
        nothing about (unseen words, "ok thx", another script) gets the base score; with a threshold
        below it, such a text would be flagged for knowing nothing, which is noise."""
        return p > self.base_score

    def evidence(self, text: str, per_word, feats, k: int = 3) -> list[str]:
        norm = np.sqrt(max(1, len(feats)))
        contrib = [(float(self._w(ids).sum()) / norm, s, e) for s, e, ids in per_word]
        best = sorted((c for c in contrib if c[0] > 0), reverse=True)[:k]
        out = []
        for _, s, e in sorted(best, key=lambda c: c[1]):
            word = text[s:e]
            if word and word not in out:
                out.append(word)
        return out


_MODEL: "_Model | None | bool" = None


def _load_model() -> "_Model | None":
    global _MODEL
    if _MODEL is None:
        try:
            meta = _json.loads((MODEL_DIR / "model.json").read_text(encoding="utf-8"))
            arrays = np.load(MODEL_DIR / "weights.npz")
            _MODEL = _Model(arrays["index"], arrays["weights"], meta["bias"], meta["threshold"], meta["version"],
                            meta.get("thresholds_by_script"), meta.get("thresholds_by_language"))
        except (OSError, KeyError, ValueError):
            _MODEL = False  # no shipped model: rules only
    return _MODEL or None


def version() -> str:
    """The rules' version with the shipped classifier's, so a retrained tier shows in annotations."""
    model = _load_model()
    return f"{VERSION}+{model.version}" if model is not None else VERSION


# Thanks, greetings and the words around them in the languages served: nobody discloses harm in these words
# alone, but the classifier, tuned for recall, flagged Bengali "thank you" ("আপনাকে ধন্যবাদ", "আপনাদের অনেক
# শুকরিয়া") as abuse: a reply to our closing text would raise a duty alert. A closed list, so no content word
# (help, hurt, scared ...) is ever in it.
PLEASANTRIES = frozenset("""
thank thanks thankyou thanx thnx thx ty tnx you u ya very much so a lot lots many all again ok okay k cheers bye
goodbye hello hi hey x xx xxx god bless kind regards to for your yours and
ধন্যবাদ শুকরিয়া অনেক আপনাকে আপনাদের আপনাদেরকে আপনি তোমাকে খুব সবাইকে জানাই ভালো থাকবেন আল্লাহ হাফেজ
આભાર ખૂબ તમારો તમારા આપનો ધન્યવાદ બહુ સૌનો જય શ્રી કૃષ્ણ
شکریہ شکریا بہت آپ کا آپکا جی مہربانی اللہ حافظ خدا
شكرا شكراً جزيلا جزيلاً لكم لك كثيرا كثيراً الله يعطيك العافية مع السلامة
ਧੰਨਵਾਦ ਬਹੁਤ ਤੁਹਾਡਾ ਤੁਹਾਡੀ ਜੀ ਸ਼ੁਕਰੀਆ
dziękuję dziekuje dzięki dzieki bardzo wam pani panu serdecznie pozdrawiam
mulțumesc multumesc mulțumim multumim mulţumesc frumos mult vă va
shukriya shukria shukriyaa bahut bohat bohot aap apka ka ji dhanyavad dhanyawad dhanyabad meherbani
""".split())


def only_pleasantries(text: str) -> bool:
    """True when every word of ``text`` is a thanks or greeting word (punctuation and emoji aside)."""
    raw = text.lower().split()
    if len(raw) > 12:   # long texts (most) are passed at once
        return False
    words = ["".join(ch for ch in word if not unicodedata.category(ch).startswith(("P", "S"))) for word in raw]
    words = [word for word in words if word]
    if not words:
        return False
    # "take care" is a goodbye, but "take" and "care" alone are not thanks ("you take a lot")
    words = " ".join(words).replace("take care", " ").split()
    return all(word in PLEASANTRIES for word in words)


# Fewer letters than this and the classifier tier does not look (the rules still do: "£100 taken" has letters).
MIN_LETTERS_FOR_CLASSIFIER = 3


def tier_applies(text: str, rules: "DisclosureResult") -> bool:
    """Whether the classifier tier may look at ``text``: not when the rules already flagged or
    cleared it, it is figurative, it says clearly that the harm is over, or it is thanks alone."""
    if rules.flag or rules.resolved_evidence or not text or not text.strip():
        return False
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS_FOR_CLASSIFIER:
        return False  # "100", "100%", "0000 0000": a score or a number says nothing of harm (they scored as abuse)
    if only_pleasantries(text):
        return False
    if _FIGURATIVE.search(text):
        return False  # the harm words were figurative ("murder a pint"): the rules already judged it
    if _RESOLVED.search(text) and not _CURRENT_ANYWHERE.search(text):
        return False  # the text says whatever happened is over and nothing says it goes on
    return True


def _classifier_score(text: str, rules: "DisclosureResult"):
    """(probability, per-word features, features) from the classifier tier, or None when the tier
    does not apply (``tier_applies``) or no model is shipped."""
    if not tier_applies(text, rules):
        return None
    model = _load_model()
    if model is None:
        return None
    return model.score_passages(text)


def _classifier_tier(text: str, rules: "DisclosureResult", language: str | None = None) -> "DisclosureResult":
    scored = _classifier_score(text, rules)
    if scored is None:
        return rules
    model = _load_model()
    p, per_word, feats = scored
    if p < model.threshold_for(text, language) or not model.words_point_to_harm(p):
        return rules
    evidence = model.evidence(text, per_word, feats) or [text.strip()[:60]]
    return DisclosureResult(True, _guess_category(text), evidence, by_classifier=True)


def _guess_category(text: str) -> str:
    """Category for a classifier-only flag: the category whose cue words share most of its
    character 4-grams with the text (psychological when nothing stands out)."""
    lowered = text.lower()       # once: lowering it for every position made long texts quadratic
    grams = {lowered[i:i + 4] for i in range(max(0, len(lowered) - 3))}
    best, best_n = "psychological", 0
    for cat, vocab in _CAT_GRAMS.items():
        n = len(grams & vocab)
        if n > best_n:
            best, best_n = cat, n
    return best


def _cat_grams() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for cat in CATEGORIES:
        words: list[str] = []
        for lex in OTHER.values():
            words += [w for w in lex.get(cat, []) if not w.startswith("\\")]
        late = set(LATE_EN.get(cat, []))
        words += re.findall(r"[a-z]{4,}", " ".join(p for p in EN.get(cat, []) if p not in late))
        grams = set()
        for w in words:
            w = w.lower()
            grams |= {w[i:i + 4] for i in range(max(0, len(w) - 3))}
        out[cat] = grams
    # 4-grams shared by many categories say nothing about the category
    counts: dict[str, int] = {}
    for g in out.values():
        for x in g:
            counts[x] = counts.get(x, 0) + 1
    return {c: {x for x in g if counts[x] <= 2} for c, g in out.items()}


_CAT_GRAMS = _cat_grams()


def train_model(texts: list[str], labels: list[int], C: float = 30.0) -> tuple[np.ndarray, np.ndarray, float]:
    """Fit the logistic regression on hashed features; returns (index, weights, bias)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows, cols, vals = [], [], []
    for i, t in enumerate(texts):
        feats, _ = _features(_blank(t, _FIGURATIVE))
        v = 1.0 / np.sqrt(max(1, len(feats)))
        rows += [i] * len(feats)
        cols += feats
        vals += [v] * len(feats)
    X = csr_matrix((vals, (rows, cols)), shape=(len(texts), _N_BUCKETS), dtype=np.float32)
    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    clf.fit(X, np.asarray(labels))
    used = np.unique(X.indices)
    w = clf.coef_[0][used]
    keep = np.abs(w) > 1e-4
    # weights are applied to unnormalised feature sums divided by sqrt(n): same as training
    return used[keep].astype(np.int64), w[keep].astype(np.float32), float(clf.intercept_[0])
