"""User-facing texts in English and Indonesian.

Texts are HTML (the bot sends everything with parse mode HTML); placeholders are filled with
`text(key, lang, **values)`, and every value is escaped there, so callers pass raw strings.
"""

from __future__ import annotations

import html
import re

EN = "en"
ID = "id"

TEXTS: dict[str, dict[str, str]] = {
    "start": {
        EN: (
            "Hi! I answer questions about the news articles saved in this chat, quoting the "
            "article and citing where the answer comes from.\n\n"
            "<b>Add articles</b>: forward a post from a channel, send a link (in groups: mention me with it), "
            "or send a file (.txt, .md, .html, .pdf).\n"
            "<b>Ask</b>: in a private chat just write your question. In groups use /ask, mention me, or "
            "reply to one of my messages.\n\n"
            "/help shows all commands."
        ),
        ID: (
            "Halo! Saya menjawab pertanyaan tentang artikel berita yang disimpan di obrolan ini, "
            "dengan mengutip artikel dan menyebutkan sumbernya.\n\n"
            "<b>Tambah artikel</b>: teruskan (forward) postingan kanal, kirim tautan (di grup: sertakan "
            "mention saya), atau kirim berkas (.txt, .md, .html, .pdf).\n"
            "<b>Bertanya</b>: di obrolan pribadi tulis saja pertanyaan Anda. Di grup gunakan /ask, "
            "mention saya, atau balas salah satu pesan saya.\n\n"
            "/help menampilkan semua perintah."
        ),
    },
    "help": {
        EN: (
            "<b>How to use</b>\n"
            "• Forward a news post, send a link (in groups: mention me with it), or send a .txt/.md/.html/.pdf "
            "file to save an article.\n"
            "• Ask a question in plain words; I answer with a quote and numbered sources.\n"
            "• Buttons under an answer: Sources (full passages), More (other candidate answers), 👍/👎.\n"
            "• Editing a forwarded post updates its article.\n"
            "• In any chat: type @{username} and a question to search the articles admins have published.\n\n"
            "<b>Commands</b>\n"
            "/ask <i>question</i> — ask; in groups also mention me or reply to my message, or reply /ask to "
            "someone's question\n"
            "/add — save a pasted text as an article: reply /add to it, or write the text after /add\n"
            "/help — this message\n\n"
            "<b>Admins</b>: /list, /show <i>ID</i>, /delete <i>ID</i>, /publish <i>ID</i>, /unpublish <i>ID</i>, "
            "/export, /stats, /reindex"
        ),
        ID: (
            "<b>Cara pakai</b>\n"
            "• Teruskan postingan berita, kirim tautan (di grup: sertakan mention saya), atau kirim berkas "
            ".txt/.md/.html/.pdf untuk menyimpan artikel.\n"
            "• Ajukan pertanyaan dengan bahasa sehari-hari; saya menjawab dengan kutipan dan sumber bernomor.\n"
            "• Tombol di bawah jawaban: Sumber (paragraf lengkap), Lainnya (jawaban lain), 👍/👎.\n"
            "• Jika postingan yang diteruskan disunting, artikelnya ikut diperbarui.\n"
            "• Di obrolan mana pun: ketik @{username} dan pertanyaan untuk mencari di artikel yang diterbitkan "
            "admin.\n\n"
            "<b>Perintah</b>\n"
            "/ask <i>pertanyaan</i> (atau /tanya) — bertanya; di grup juga bisa menyebut saya, membalas pesan "
            "saya, atau membalas pertanyaan orang lain dengan /ask\n"
            "/add (atau /simpan) — simpan teks sebagai artikel: balas teks itu dengan /add, atau tulis teksnya "
            "setelah /add\n"
            "/help (atau /bantuan) — pesan ini\n\n"
            "<b>Admin</b>: /list, /show <i>ID</i>, /delete <i>ID</i>, /publish <i>ID</i>, /unpublish <i>ID</i>, "
            "/export, /stats, /reindex (juga /daftar, /lihat, /hapus, /terbitkan, /ekspor, /statistik)"
        ),
    },
    "not_found_empty": {
        EN: (
            "I couldn't find that, and no articles are saved in this chat yet.\n"
            "To add articles: forward a news post, send a link (in groups: mention me with it), or send a file "
            "(.txt, .md, .html, .pdf).\n"
            "Articles saved in a group answer questions in that group only."
        ),
        ID: (
            "Belum ada artikel yang tersimpan di obrolan ini.\n"
            "Untuk menambah artikel: teruskan postingan berita, kirim tautan (di grup: sertakan mention saya), "
            "atau kirim berkas (.txt, .md, .html, .pdf).\n"
            "Artikel yang disimpan di grup hanya bisa ditanyakan di grup itu."
        ),
    },
    "not_found": {
        EN: "I couldn't find that in the saved articles. Try other words, or forward the article that answers it.",
        ID: (
            "Saya tidak menemukan jawabannya di artikel yang tersimpan. Coba dengan kata lain, atau teruskan artikel "
            "yang menjawabnya."
        ),
    },
    "inline_not_found": {EN: "Not found in the public articles.", ID: "Tidak ditemukan di artikel publik."},
    "saved": {
        EN: "Saved #{id} «{title}» — {paragraphs}",
        ID: "Tersimpan #{id} «{title}» — {paragraphs}",
    },
    "updated": {
        EN: "Updated #{id} «{title}» — {paragraphs}",
        ID: "Diperbarui #{id} «{title}» — {paragraphs}",
    },
    "duplicate": {EN: "Already saved as #{id} «{title}»", ID: "Sudah tersimpan sebagai #{id} «{title}»"},
    "rejected": {EN: "Not saved: {reason}", ID: "Tidak disimpan: {reason}"},
    "fetch_throttled": {
        EN: "That is a lot of links and files at once: please send the rest again in a minute.",
        ID: "Terlalu banyak tautan dan berkas sekaligus: kirim ulang sisanya sekitar semenit lagi.",
    },
    "saved_many": {EN: "Saved {saved}: {ids}.", ID: "{saved} artikel tersimpan: {ids}."},
    "many_duplicates": {EN: "Already saved: {n}.", ID: "Sudah ada: {n}."},
    "many_failed": {EN: "Not saved: {n} ({reason}).", ID: "Gagal: {n} ({reason})."},
    "may_not_add": {
        EN: "Sorry, only selected users may add articles here. You can still ask questions.",
        ID: "Maaf, hanya pengguna tertentu yang boleh menambah artikel. Anda tetap bisa bertanya.",
    },
    "file_too_big": {
        EN: "That file is too large ({size}); the limit is {limit}.",
        ID: "Berkas terlalu besar ({size}); batasnya {limit}.",
    },
    "file_failed": {EN: "I couldn't read that file: {reason}", ID: "Berkas tidak bisa dibaca: {reason}"},
    "fetch_failed": {
        EN: "I couldn't fetch that page: {reason}",
        ID: "Halaman itu tidak bisa diambil: {reason}",
    },
    "fetching": {EN: "Fetching the article…", ID: "Mengambil artikel…"},
    "own_message": {
        EN: "That is one of my own answers; I only save articles, so it was not saved.",
        ID: "Itu jawaban saya sendiri; yang disimpan hanya artikel, jadi pesan itu tidak disimpan.",
    },
    "ask_usage": {
        EN: "Write your question after the command, e.g. {cmd} who won the election? (or reply {cmd} to a question)",
        ID: "Tulis pertanyaannya setelah {cmd}, misalnya: {cmd} siapa pemenang pemilu? Bisa juga membalas sebuah "
        "pertanyaan dengan {cmd}.",
    },
    "throttled": {
        EN: "You're asking very quickly — please wait a minute before the next question.",
        ID: "Anda bertanya terlalu cepat — tunggu satu menit sebelum pertanyaan berikutnya.",
    },
    "error": {EN: "Something went wrong, please try again.", ID: "Terjadi kesalahan, silakan coba lagi."},
    "not_available": {
        EN: "Sorry, that is not available any more.",
        ID: "Maaf, itu sudah tidak tersedia.",
    },
    "stats_private": {
        EN: "The bot's statistics cover every chat: send /stats to me in a private chat.",
        ID: "Statistik bot mencakup semua obrolan: kirim /stats ke saya lewat obrolan pribadi.",
    },
    "admins_only": {
        EN: "Sorry, this command is for the bot's admins only.",
        ID: "Maaf, perintah ini hanya untuk admin bot.",
    },
    "thanks": {EN: "Thanks for the feedback!", ID: "Terima kasih atas masukannya!"},
    "no_more": {EN: "No other answers found.", ID: "Tidak ada jawaban lain."},
    "more_header": {EN: "<b>Other possible answers</b>", ID: "<b>Jawaban lain yang mungkin</b>"},
    "sources_header": {EN: "<b>Sources</b>", ID: "<b>Sumber</b>"},
    "no_sources": {
        EN: "The text this answer cited has been deleted or edited since.",
        ID: "Teks yang dikutip jawaban ini sudah dihapus atau diubah.",
    },
    "btn_sources": {EN: "Sources", ID: "Sumber"},
    "btn_how": {EN: "How to use", ID: "Cara pakai"},
    "lbl_source": {EN: "Source", ID: "Sumber"},
    "lbl_published": {EN: "Published", ID: "Terbit"},
    "lbl_language": {EN: "Language", ID: "Bahasa"},
    "lbl_link": {EN: "URL", ID: "Tautan"},
    "lbl_collection": {EN: "Collection", ID: "Koleksi"},
    "lbl_paragraphs": {EN: "Paragraphs", ID: "Paragraf"},
    "lbl_added": {EN: "Added", ID: "Ditambahkan"},
    "coll_this": {EN: "this chat", ID: "obrolan ini"},
    "coll_other": {EN: "another chat", ID: "obrolan lain"},
    "coll_public": {EN: " (public)", ID: " (publik)"},
    "btn_more": {EN: "More", ID: "Lainnya"},
    "btn_prev": {EN: "‹ Previous", ID: "‹ Sebelumnya"},
    "btn_next": {EN: "Next ›", ID: "Berikutnya ›"},
    "btn_delete": {EN: "Delete", ID: "Hapus"},
    "btn_cancel": {EN: "Cancel", ID: "Batal"},
    "id_usage": {
        EN: "Usage: /{command} ID (the number shown by /list)",
        ID: "Cara pakai: /{command} NOMOR (lihat nomornya di /list)",
    },
    "no_article": {EN: "No article #{id} in this chat.", ID: "Tidak ada artikel #{id} di obrolan ini."},
    "confirm_delete": {EN: "Delete #{id} «{title}»?", ID: "Hapus #{id} «{title}»?"},
    "deleted": {EN: "Deleted #{id} «{title}».", ID: "Dihapus #{id} «{title}»."},
    "cancelled": {EN: "Cancelled.", ID: "Dibatalkan."},
    "published": {
        EN: "Published #{id} «{title}» to the public collection.",
        ID: "#{id} «{title}» diterbitkan ke koleksi publik.",
    },
    "already_published": {
        EN: "#{id} «{title}» is already published.",
        ID: "#{id} «{title}» sudah diterbitkan.",
    },
    "already_unpublished": {
        EN: "#{id} «{title}» is not published.",
        ID: "#{id} «{title}» memang tidak diterbitkan.",
    },
    "unpublished": {
        EN: "#{id} «{title}» is no longer published; this chat keeps it.",
        ID: "#{id} «{title}» tidak lagi diterbitkan; obrolan ini tetap menyimpannya.",
    },
    "list_empty": {EN: "No articles saved in this chat yet.", ID: "Belum ada artikel di obrolan ini."},
    "list_past_end": {
        EN: "No articles after the first {offset} — this chat sees {total}. Send /list to start from the first.",
        ID: "Tidak ada artikel setelah urutan ke-{offset} — obrolan ini hanya punya {total} artikel. Kirim /list untuk mulai dari awal.",
    },
    "not_owned": {
        EN: "#{id} «{title}» was not saved in this chat; only the chat that saved it can change it.",
        ID: "#{id} «{title}» disimpan di obrolan lain, jadi hanya bisa diubah dari sana.",
    },
    "export_empty": {
        EN: "Nothing to export: no articles in this chat yet.",
        ID: "Tidak ada yang diekspor: belum ada artikel di obrolan ini.",
    },
    "question_empty": {
        EN: "The question is empty. Ask something about the saved articles.",
        ID: "Pertanyaannya kosong. Tanyakan sesuatu tentang artikel yang tersimpan.",
    },
    "question_too_many_words": {
        EN: "The question is too long ({count} words). Please ask in at most {limit} words.",
        ID: "Pertanyaannya terlalu panjang ({count} kata). Persingkat jadi paling banyak {limit} kata.",
    },
    "long_text_hint": {
        EN: "To save it as an article instead, reply /add to it (or forward its post, or send it as a .txt file).",
        ID: "Kalau ingin menyimpannya sebagai artikel, balas pesan itu dengan /add (atau teruskan postingannya, "
        "atau kirim sebagai berkas .txt).",
    },
    "edit_too_short": {
        EN: "Not updated: the edited post is too short to be the article. To remove an article, an admin can use "
        "/delete ID.",
        ID: "Tidak diperbarui: isi suntingannya terlalu pendek untuk sebuah artikel. Untuk menghapus artikel, admin "
        "bisa memakai /delete NOMOR.",
    },
    "not_an_article": {
        EN: "Not saved: that is too short for an article, or a question. To ask, just write the question.",
        ID: "Tidak disimpan: teks itu terlalu pendek untuk sebuah artikel, atau berupa pertanyaan. Untuk bertanya, "
        "tulis saja pertanyaannya.",
    },
    "looks_like_article": {
        EN: "That looks like an article. To save it, reply /add to it; to ask about the saved articles, write a "
        "question.",
        ID: "Sepertinya itu artikel. Untuk menyimpannya, balas pesan itu dengan /add; untuk bertanya tentang "
        "artikel yang tersimpan, tulis pertanyaan.",
    },
    "add_usage": {
        EN: "To save a pasted text as an article, reply {cmd} to the message that holds it, or write the text "
        "after {cmd}.",
        ID: "Untuk menyimpan teks sebagai artikel, balas pesan berisi teks itu dengan {cmd}, atau tulis teksnya "
        "setelah {cmd}.",
    },
    "small_talk_hello": {
        EN: "Hello! Ask me about the saved articles, or forward an article to save it.",
        ID: "Halo! Tanyakan sesuatu tentang artikel yang tersimpan, atau teruskan artikel untuk menyimpannya.",
    },
    "small_talk_thanks": {EN: "You're welcome!", ID: "Sama-sama!"},
    "small_talk_ack": {EN: "👍", ID: "👍"},
    "small_talk_salam": {
        EN: "Wa alaikum salam! Ask me about the saved articles, or forward an article to save it.",
        ID: "Waalaikumsalam! Tanyakan sesuatu tentang artikel yang tersimpan, atau teruskan artikel untuk "
        "menyimpannya.",
    },
    "question_too_many_chars": {
        EN: "The question is too long ({count} characters). Please ask in at most {limit} characters.",
        ID: "Pertanyaannya terlalu panjang ({count} karakter). Persingkat jadi paling banyak {limit} karakter.",
    },
    "unreadable_media": {
        EN: "I read text, links and files (.txt .md .html .pdf), not pictures, video or sound. Forward a post "
        "with its text, send the link, or the article as a file.",
        ID: "Saya membaca teks, tautan, dan berkas (.txt .md .html .pdf), bukan gambar, video, atau suara. "
        "Teruskan postingan beserta teksnya, kirim tautannya, atau artikelnya sebagai berkas.",
    },
    "unknown_command": {
        EN: "I don't know that command. /help lists what I can do.",
        ID: "Perintah itu tidak saya kenal. Ketik /help untuk melihat apa saja yang bisa saya lakukan.",
    },
    "list_header": {
        EN: "<b>Articles {first}–{last} of {total}</b>",
        ID: "<b>Artikel {first}–{last} dari {total}</b>",
    },
    "export_caption": {EN: "{count} (JSON Lines)", ID: "{count} (JSON Lines)"},
    "reindex_start": {EN: "Reindexing…", ID: "Mengindeks ulang…"},
    "reindex_progress": {EN: "Reindexing… {done}/{total}", ID: "Mengindeks ulang… {done}/{total}"},
    "reindex_result": {
        EN: "{passages} passages indexed in {seconds} s.",
        ID: "{passages} potongan teks diindeks dalam {seconds} detik.",
    },
    "reindex_done": {EN: "Reindex finished.", ID: "Indeks ulang selesai."},
    "stats_header": {EN: "<b>Statistics</b> (the whole bot, every chat)", ID: "<b>Statistik</b> (seluruh bot, semua obrolan)"},
    "stats_articles": {
        EN: "Articles: {articles} ({public} published) · passages: {passages} · collections: {collections}",
        ID: "Artikel: {articles} ({public} diterbitkan) · potongan teks: {passages} · koleksi: {collections}",
    },
    "stats_questions": {
        EN: "Questions: {questions} · not answered: {abstained} ({rate}) · 👍 {up} · 👎 {down}",
        ID: "Pertanyaan: {questions} · tidak terjawab: {abstained} ({rate}) · 👍 {up} · 👎 {down}",
    },
    "stats_machine": {
        EN: "Database: {db} (schema {schema}) · index: {docs} passages, {terms} terms, {index}, built in {build} s"
        " · memory: {rss}",
        ID: "Basis data: {db} (skema {schema}) · indeks: {docs} potongan, {terms} kata, {index}, dibangun {build} dtk"
        " · memori: {rss}",
    },
    "inline_no_answer": {EN: "Not in the public articles", ID: "Tidak ada di artikel publik"},
}


# Singular and plural of the nouns texts count with (Indonesian nouns do not change).
NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "paragraph": {EN: ("paragraph", "paragraphs"), ID: ("paragraf", "paragraf")},
    "article": {EN: ("article", "articles"), ID: ("artikel", "artikel")},
}


def count(n: int, noun: str, lang: str = EN) -> str:
    """'1 paragraph', '9 paragraphs', '9 paragraf'."""
    forms = NOUNS[noun].get(lang) or NOUNS[noun][EN]
    return f"{n} {forms[0] if n == 1 else forms[1]}"


def lang_of(language_code: str | None) -> str:
    """Indonesian for Indonesian-language Telegram clients, English otherwise."""
    return ID if (language_code or "").lower().startswith("id") else EN


def text(key: str, lang: str = EN, **values: object) -> str:
    """The text `key` in `lang` with `values` HTML-escaped and substituted."""
    entry = TEXTS[key]
    template = entry.get(lang) or entry[EN]
    if not values:
        return template
    return template.format(**{k: html.escape(str(v), quote=False) for k, v in values.items()})


# Why an article, file or page was not taken, as the engine and readers say it (English, also the CLI's words),
# in Indonesian: pattern -> template with the pattern's groups. Found in review: Indonesian replies carried
# English reasons ("Tidak disimpan: no searchable words in the text"). A reason no pattern knows stays as is.
_REASONS_ID: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r"^the text is empty$", "teksnya kosong"),
        (r"^no (?:searchable )?words in the text$", "tidak ada kata yang bisa dicari dalam teksnya"),
        (r"^too large \((.+) bytes; limit (.+)\)$", "terlalu besar ({0} bita; batas {1})"),
        (r"^the text is not valid Unicode.*$", "teksnya bukan Unicode yang sah"),
        (r"^(.+): unsupported type (.+?); send (.+) files$", "{0}: jenis berkas {1} tidak didukung; kirim berkas {2}"),
        (r"^(.+): the file is empty$", "{0}: berkasnya kosong"),
        (r"^(.+): the file has no text$", "{0}: berkasnya tidak berisi teks"),
        (r"^(.+): the file looks binary.*$", "{0}: berkasnya tampak biner, bukan teks"),
        (r"^(.+): the file is not valid (.+?) text.*$", "{0}: berkasnya bukan teks {1} yang sah"),
        (r"^(.+): the PDF has no text layer.*$", "{0}: PDF-nya tidak punya lapisan teks (hasil pindaian?)"),
        (r"^(.+): the PDF is (?:encrypted|password-protected).*$", "{0}: PDF-nya terkunci kata sandi"),
        (r"^(?:.+): the page is empty$", "halamannya kosong"),  # the link is the one just sent: not repeated
        (r"^(?:.+): the page has no readable text.*$", "halamannya tidak berisi teks yang bisa dibaca"),
        (r"^(?:.+): the page has no article text \(only (\d+) words?\)$", "halamannya tidak berisi artikel (hanya {0} kata)"),
        (r"^(.+): the PDF could not be read.*$", "{0}: PDF-nya tidak bisa dibaca (rusak?)"),
        (r"^could not connect to (.+)$", "tidak bisa terhubung ke {0}"),
        (r"^could not resolve (.+)$", "alamat {0} tidak ditemukan"),
        (r"^the page did not load within (.+) seconds$", "halamannya tidak termuat dalam {0} detik"),
        (r"^the server answered HTTP (404|410)\b.*$", "halamannya tidak ditemukan (HTTP {0})"),
        (r"^the server answered HTTP (.+)$", "server menjawab HTTP {0}"),
        (r"^the page is larger than the (.+) limit$", "halamannya lebih besar dari batas {0}"),
        (r"^refusing to fetch (.+): it points to a (\S+) address$", "{0} mengarah ke alamat {1}"),
        (r"^only http and https links can be fetched, not (.+)$", "hanya tautan http dan https yang bisa diambil, bukan {0}"),
        (r"^unsupported content type (.+)$", "isi tautan itu ({0}) bukan halaman atau dokumen yang bisa dibaca"),
        (r"^too many redirects \(more than (\d+)\)$", "terlalu banyak pengalihan (lebih dari {0})"),
    )
)


_LANGUAGE_NAMES = {
    "id": {EN: "Indonesian", ID: "Indonesia"},
    "en": {EN: "English", ID: "Inggris"},
    "de": {EN: "German", ID: "Jerman"},
    "es": {EN: "Spanish", ID: "Spanyol"},
}


def language_name(code: str | None, lang: str = EN) -> str | None:
    """ "id" -> "Indonesia" for an Indonesian reader (found in review: /show said "Bahasa: id"); unknown codes as is."""
    names = _LANGUAGE_NAMES.get(code or "")
    return (names.get(lang) or names[EN]) if names else code


def num(text: str, lang: str = EN) -> str:
    """A formatted number or size as the language writes it: "50.0 MB" -> "50 MB"; in Indonesian the decimal mark
    is a comma ("172,4 KB", "0,01"). Found in review: Indonesian replies showed "50.0 MB" and "0.01 dtk"."""
    text = re.sub(r"(\d)\.0(?!\d)", r"\1", text)
    return re.sub(r"(\d)\.(\d)", r"\1,\2", text) if lang == ID else text


# Engine wording that reads as a developer's in a chat (found in an English user's review: "I couldn't fetch that
# page: refusing to fetch the link: it points to a loopback address").
_REASONS_EN = tuple(
    (re.compile(p), t)
    for p, t in ((r"^refusing to fetch (?:.+): it points to an? (\S+) address$", "I never open links to {0} addresses"),)
)


def reason(why: str, lang: str = EN) -> str:
    """`why` (an engine's or reader's reason, in English) in `lang` where a translation is known."""
    if lang != ID:
        for pattern, template in _REASONS_EN:
            m = pattern.match(why)
            if m:
                return template.format(*({"loopback": "local", "link-local": "local"}.get(g, g) for g in m.groups()))
        return why
    for pattern, template in _REASONS_ID:
        m = pattern.match(why)
        if m:
            return template.format(*(_WORDS_ID.get(g, g) for g in m.groups()))
    return why


_WORDS_ID = {
    "private": "privat", "loopback": "lokal", "link-local": "lokal", "reserved": "khusus", "the link": "tautan itu",
    "(no extension)": "(tanpa ekstensi)",
}
