"""The shape of the demo experiences written in short: `_x` and the language codes."""

E = "en"
F = "fr"
S = "es"


def _x(
    ref,
    lang,
    themes,
    sdgs,
    years,
    peer,
    title,
    summary,
    problem,
    approach,
    results,
    lessons,
    **translations,
):
    texts = {lang: (title, summary, problem, approach, results, lessons)}
    for code, (t, s) in translations.items():
        texts[code] = (t, s, "", "", "", "")
    return (ref, lang, themes, sdgs, years, peer, texts)
