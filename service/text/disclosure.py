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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

VERSION = "disclosure-rules-1"

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
        "sexual": ["m-a atins", "a atins-o", "o atinge", "mă atinge", "hărțui", "hartui", "viol", "abuz sexual", "sexual"],
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

RESOLVED = [
    r"dealt\s+with", r"nothing\s+(?:is|was|has\s+been)\s+(?:missing|taken|stolen)", r"thinks\s+(?:people|someone|staff)\s+(?:are|is)\s+(?:stealing|taking)", r"been\s+sorted", r"sorted\s+(?:out|now)", r"no\s+longer", r"not\s+any\s*more", r"hasn'?t\s+been\s+(?:back|round|near)",
    r"has\s+not\s+been\s+(?:back|round)", r"got\s+(?:excluded|sacked|dismissed|arrested|removed|moved)", r"(?:was|were|been|got)\s+(?:sacked|dismissed|suspended|removed|struck\s+off|moved\s+out)",
    r"out\s+of\s+(?:my|her|his)\s+life", r"years?\s+ago", r"in\s+the\s+past", r"used\s+to\b", r"not\s+allowed\s+(?:at|near|in)\s+(?:the\s+)?\w+(?:\s+\w+)?\s+now",
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
]
# Signs that it goes on now (override a resolution cue).
CURRENT = [
    r"\bstill\b", r"(?<!happy\s)(?<!safe\s)(?<!safer\s)(?<!better\s)(?<!well\s)(?<!fine\s)(?<!myself\s)(?<!smiling\s)\bagain\b(?!\s+thanks)", r"\bkeeps?\b", r"\bevery\s+(?:day|night|week|time|morning|evening)\b", r"\bsince\s+the\s+(?:enquiry|case|investigation)\s+(?:was\s+)?(?:closed|ended|finished)",
    r"\bhasn'?t\s+improved\b", r"\bnothing\s+(?:has\s+been|was|has)\s+(?:done|changed)\b", r"\blast\s+(?:night|nite|week)\b", r"\byesterday\b", r"\bthis\s+morning\b",
    r"\bsame\s+carer\b", r"\bcontinu\w+\b", r"\bnow\s+(?:very|withdrawn|scared|frightened)", r"\bwon'?t\s+stop\b",
    r"phir\s+se", r"ab\s+bhi", r"abhi\s+bhi", r"\broz\b", r"kal\s+raat", "اب بھی", "ابھی بھی", "پھر سے", "ہر روز", "کل رات",
    "ਹਾਲੇ ਵੀ", "ਹੁਣ ਵੀ", "ਫੇਰ ਵੀ", "ਕੋਈ ਨਹੀਂ ਸੁਣਦਾ", "હજુ પણ", "ફરીથી", "રોજ", r"\bznowu\b", r"\bnadal\b", r"\bwciąż\b", r"\bciągle\b", r"\bwczoraj\b", r"\bcodziennie\b",
    "لا يزال", "ما زال", "مازال", "كل يوم", "مرة أخرى", "এখনও", "আবার", "প্রতি সপ্তাহে", "প্রতিদিন", r"\bîncă\b", r"\bdin\s+nou\b", r"\bmereu\b", r"în\s+fiecare\s+zi",
]
# Figurative phrases that contain harm words but mean no harm: blanked out before matching.
FIGURATIVE = [
    r"murder\s+a\s+(?:pint|curry|brew|cuppa|coffee|kebab)", r"(?:i'?ll|il|i\s+will)\s+(?:scream|die|kill\s+some(?:one|body))\s*(?:haha|lol|😂)?",
    r"kill\s+for\s+a", r"dying\s+(?:for|to)\s+(?:a|go|see|get|have)", r"to\s+die\s+for", r"killing\s+me\s+(?:haha|lol)", r"die\s+laughing",
    r"fill\s+in\s+\d+\s+more\s+form\s+il\s+scream", r"bored\s+to\s+death", r"scared\s+of\s+the\s+(?:police|process|meeting)", r"hit\s+it\s+off", r"hit\s+the\s+ground\s+running", r"(?:nobody|no\s*one|no-one)\s+(?:went|goes|has\s+gone)\s+without", r"kept\s+in\s+touch", r"(?:i|we|she|he)\s+(?:was|were)\s+(?:a\s+bit\s+|very\s+|so\s+|really\s+)?(?:scared|frightened|nervous|afraid|terrified)\s+(?:of\s+(?:the\s+)?(?:meeting|process|police|hospital|needles?|operation|assessment|social\s+workers?|court)|at\s+first|before|beforehand)", r"(?:scared|afraid|frightened)\s+of\s+(?:needles|the\s+dentist|hospitals?|dogs|heights|the\s+dark)", r"if\s+(?:i|you|she|he|they)\s+(?:ever\s+)?(?:feel|felt)\s+(?:unsafe|scared|at\s+risk)",
    r"hit\s+the\s+(?:shops|town|road)", r"threshold", r"a\s+burden\s+off",
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


def _build() -> dict[str, dict[str, re.Pattern]]:
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
                table[script][cat] = re.compile("(?i)(?:" + "|".join(pieces) + ")")
    return table


_TABLE = _build()
_RESOLVED = re.compile("(?i)(?:" + "|".join(
    p if p.startswith("\\") else r"\b" + p if ("\\s" in p or "(?" in p or p.isascii()) else re.escape(p)
    for p in RESOLVED) + ")")
_CURRENT = re.compile("(?i)(?:" + "|".join(p if "\\" in p else re.escape(p) for p in CURRENT) + ")")
_FIGURATIVE = re.compile(r"(?i)\b(?:" + "|".join(FIGURATIVE) + ")")
_SENTENCE = re.compile(r"[^.!?।۔\n]+[.!?।۔\n]*")


@dataclass(frozen=True)
class DisclosureResult:
    flag: bool
    category: str | None
    evidence: list[str] = field(default_factory=list)
    resolved_evidence: list[str] = field(default_factory=list)  # cues that lowered the flag

    def to_dict(self) -> dict:
        return {"flag": self.flag, "category": self.category, "evidence": list(self.evidence)}


_SCRIPT_TESTS = (
    ("arabic", re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")),
    ("gurmukhi", re.compile(r"[\u0A00-\u0A7F]")),
    ("gujarati", re.compile(r"[\u0A80-\u0AFF]")),
    ("bengali", re.compile(r"[\u0980-\u09FF]")),
)


def _scripts(text: str) -> list[str]:
    return ["latin"] + [name for name, pat in _SCRIPT_TESTS if pat.search(text)]


def _blank(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def check(text: str, extra_texts: tuple[str, ...] = ()) -> DisclosureResult:
    """Check ``text`` (the original); ``extra_texts`` (e.g. an English translation) add cues but
    evidence is always taken from the original when the original matched anything."""
    result = _check_one(text)
    if result.flag or not extra_texts:
        return result
    for extra in extra_texts:
        r = _check_one(extra)
        if r.flag:
            return DisclosureResult(True, r.category, [f"(translation) {e}" for e in r.evidence])
    return result


def _check_one(text: str) -> DisclosureResult:
    if not text or not text.strip():
        return DisclosureResult(False, None)
    cleaned = _blank(text, _FIGURATIVE)
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
    resolved = [m.group().strip() for m in _RESOLVED.finditer(cleaned)]
    if resolved and not _ongoing(cleaned, hits):
        return DisclosureResult(False, None, [], resolved)
    category = _choose_category(hits, cleaned)
    return DisclosureResult(True, category, evidence)


def _ongoing(text: str, hits) -> bool:
    """True when a sentence holding a harm cue also says the harm goes on."""
    for sent in _SENTENCE.finditer(text):
        s, e = sent.start(), sent.end()
        if any(s <= h[2] < e for h in hits) and _CURRENT.search(sent.group()):
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
