"""Compact per-language function-word lists (stop words) and question words.

Only function words: articles, pronouns, prepositions, conjunctions, auxiliaries, common adverbs and particles.
Content words (nouns, numbers, month names, "tahun", "war", "son" ...) are deliberately absent: a factoid question
is often answered by exactly those words. Lists are written accent-folded and casefolded, the form `analyze` compares.
"""

from __future__ import annotations

STOP_ID = frozenset(
    """
    yang dan di ke dari pada dalam untuk dengan oleh ini itu adalah ialah merupakan akan telah sudah sedang masih
    juga atau tetapi tapi namun karena sebab jika kalau bila apabila maka agar supaya sehingga hingga sampai sejak
    bagi tentang terhadap antara para sang si pun lah kah tersebut bahwa sebagai seperti saat ketika setelah
    sebelum selama serta bahkan lagi hanya saja pula belum tidak tak bukan ada kami kita saya aku anda kamu
    engkau dia ia beliau mereka nya yaitu yakni secara dapat bisa harus ingin mau pernah sangat lebih paling
    amat begitu demikian sini sana situ tersebut pula per atas bawah oleh kepada daripada sebuah seorang
    suatu sejumlah bagaimanapun walaupun meskipun meski walau kemudian lalu lantas pun juga tentu turut
    sekitar hal dll dsb dst tsb yg dgn utk
    """.split()
)

STOP_EN = frozenset(
    """
    a an the of in on at to for from by with about as into onto over under and or but nor if then than so that
    this these those is are was were be been being am do does did doing has have had having it its he she they
    them their theirs his her hers him we us our ours you your yours i me my mine not no there here also such can
    could would should will shall may might must which who whom whose what when where why how s t just very too
    only own same other another any each both all some most more such while during before after above below
    between through upon within without against among per via again further once because until although though
    whether either neither yet itself himself herself themselves ourselves yourself etc
    """.split()
)

STOP_DE = frozenset(
    """
    der die das den dem des ein eine einer eines einem einen und oder aber doch sondern denn weil dass daß ob wenn
    als wie so zu zum zur im in ins am an auf aus bei mit nach von vom vor uber unter um durch fur gegen ohne bis
    seit zwischen wahrend ist sind bin bist seid sein seine seiner seinen seinem seines gewesen wird werden wurde
    wurden worden hat haben hatte hatten habe kann konnen konnte konnten soll sollte muss mussen musste darf
    mochte will wollen er sie es wir ihr ich du ihn ihm ihnen ihre ihrem ihren ihrer ihres uns unser unsere euch
    mich mir dich dir sich man nicht kein keine keinen keinem keiner auch noch schon nur sehr dort hier da dann
    also sowie jedoch bzw usw zb ca dieser diese dieses diesen diesem jener jene welcher welche welches welchen
    welchem wer was wann wo wie warum wieso weshalb wodurch womit wofur woher wohin
    """.split()
)

STOP_ES = frozenset(
    """
    el la lo los las un una unos unas y e o u ni pero sino que de del al a en con por para sin sobre entre hacia
    desde hasta segun durante mediante tras ante bajo es son era eran fue fueron ser sido siendo esta estan estaba
    estaban estado ha han habia habian haber hay se su sus le les me te nos os mi mis tu tus yo tu el ella ellos
    ellas nosotros vosotros usted ustedes este esta esto estos estas ese esa eso esos esas aquel aquella como
    cuando donde quien quienes cual cuales cuanto cuanta cuantos cuantas muy mas menos tambien ya no si asi
    porque aunque mientras etc tan
    he hemos habra habran habria habrian hubo hubieron haya hayan va van vamos voy vas iba iban ibamos ir ido
    yendo puede pueden puedo podemos podia podian podra podran podria podrian pudo pudieron debe deben debia
    debian debera deberan deberia deberian
    """.split()
)

STOP_WORDS: dict[str, frozenset[str]] = {"id": STOP_ID, "en": STOP_EN, "de": STOP_DE, "es": STOP_ES}

QUESTION_ID = frozenset(
    """
    siapa siapakah apa apakah kapan kapankah berapa berapakah dimana dimanakah mana manakah bagaimana
    bagaimanakah mengapa kenapa darimana kemana apa-apa sebutkan jelaskan seberapa
    """.split()
)
QUESTION_EN = frozenset("who whom whose what when where which how why name many much".split())  # "how many/much"
QUESTION_DE = frozenset(
    """
    wer wen wem wessen was wann wo woher wohin welche welcher welches welchen welchem wie warum wieso weshalb
    woran worauf woraus wobei wodurch wofur wogegen womit wonach worin woruber worum worunter wovon wovor wozu
    heisst hiess heissen hiessen nennen nenne
    """.split()
)  # the wo- family and the asking phrases "Wie heißt/hieß …", "Nennen Sie …" (casefolded: ß is ss)
QUESTION_ES = frozenset("quien quienes que cuando donde cual cuales como cuanto cuanta cuantos cuantas por".split())

QUESTION_WORDS: dict[str, frozenset[str]] = {
    "id": QUESTION_ID,
    "en": QUESTION_EN,
    "de": QUESTION_DE,
    "es": QUESTION_ES,
}

# Words that are frequent in one supported language and rare in the others: evidence for language detection
# on short texts, where character n-grams alone are unreliable.
EVIDENCE: dict[str, frozenset[str]] = {
    "id": frozenset(
        """
        yang dan di ke dari pada dalam untuk dengan oleh ini itu adalah akan telah sudah juga atau tetapi karena
        tersebut bahwa sebagai siapa apa apakah kapan berapa dimana mana bagaimana mengapa kenapa tahun kota
        nama pertama negara orang tidak ada saat menjadi merupakan ialah yaitu
        """.split()
    ),
    "en": frozenset(
        """
        the of and to is are was were what who when where which how why did does do in on at for with by from that
        this these those it its has have had be been an a not they their
        """.split()
    ),
    "de": frozenset(
        """
        der die das den dem des ein eine einer und ist sind war wurde wurden wer was wann wo welche welcher
        welches wie warum nicht mit von zu auf fur uber bei sich auch im zum zur hat haben
        """.split()
    ),
    "es": frozenset(
        """
        el la los las un una y es son fue fueron que quien quienes cuando donde cual cuales como cuanto cuantos
        por para con del al en se su sus lo qué no esta este
        """.split()
    ),
}
