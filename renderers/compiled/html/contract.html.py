# sla-jinja/1 environment=aed63ed582c21b82 source-sha1=8c3a55837c4e7427c4a9233f689cdeb78760f0a2
# The template renderers/html/contract.html.j2 as Python, made by Jinja with
# `python -m sla.templates --regenerate`: do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'contract.html.j2'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_contract = resolve('contract')
    l_0_labels = resolve('labels')
    try:
        t_1 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_2 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'selectattr' found.")
    pass
    yield '<!DOCTYPE html>\n<html lang="'
    yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'lang')))
    yield '">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="generator" content="sla">\n<title>'
    yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'title')))
    yield '</title>\n<style>\n:root { --ink: #1d232b; --muted: #5b6570; --rule: #c9d0d8; --band: #f2f4f7; --accent: #1f4e79; }\n* { box-sizing: border-box; }\nbody { margin: 0 auto; max-width: 56rem; padding: 2rem 1.5rem 4rem; color: var(--ink);\n       font: 15px/1.5 "Source Sans Pro", "Segoe UI", Helvetica, Arial, sans-serif; }\nheader.title { border-bottom: 2px solid var(--accent); margin-bottom: 1.5rem; }\n.reference { margin: 0; color: var(--muted); font-size: 0.85rem; letter-spacing: 0.02em; }\nh1 { margin: 0.2rem 0 0.4rem; font-size: 1.9rem; line-height: 1.2; color: var(--accent); }\n.subtitle { margin: 0 0 1rem; color: var(--muted); }\nh2 { margin: 2.2rem 0 0.8rem; font-size: 1.3rem; color: var(--accent); border-bottom: 1px solid var(--rule); }\nh3 { margin: 1.4rem 0 0.5rem; font-size: 1.05rem; }\nnav ol { columns: 2; margin: 0; padding-left: 1.4rem; }\nnav h2 { margin-top: 0; }\na { color: var(--accent); }\ntable { width: 100%; border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.93rem; }\ncaption { text-align: left; font-weight: 600; padding: 0.3rem 0; }\nth, td { border: 1px solid var(--rule); padding: 0.35rem 0.55rem; text-align: left; vertical-align: top; }\nthead th { background: var(--band); }\nth[scope="row"] { font-weight: 600; white-space: nowrap; }\n.num { text-align: right; white-space: nowrap; }\ntr.total th, tr.total td { font-weight: 700; background: var(--band); }\ntr.applies td { font-weight: 700; }\ntable.bands { width: auto; min-width: 60%; }\ntable.fees th[scope="row"] { white-space: normal; }\ntable.bands + .note { margin-top: -0.5rem; }\ndl.details { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0 1rem; }\ndl.details dt { font-weight: 600; }\ndl.details dd { margin: 0; }\n.note { color: var(--muted); font-size: 0.9rem; }\n.signatures td { height: 2.6rem; }\n@media print {\n  @page { size: A4; margin: 22mm 18mm 20mm;\n          @top-left { content: string(reference); font-size: 8pt; color: #5b6570; }\n          @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; } }\n  body { max-width: none; padding: 0; font-size: 10pt; }\n  .reference { string-set: reference content(text); }\n  nav { break-after: page; }\n  nav ol { columns: 1; }\n  a { color: inherit; text-decoration: none; }\n  h2, h3 { break-after: avoid; }\n  thead { display: table-header-group; }\n  tr { break-inside: avoid; }\n  .signatures, table.bands { break-inside: avoid; }\n}\n</style>\n</head>\n<body>\n<header class="title">\n<p class="reference">'
    yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'reference')))
    yield '</p>\n<h1>'
    yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'title')))
    yield '</h1>\n<p class="subtitle">'
    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'document')))
    if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'id'):
        pass
        yield ' · '
        yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'agreement_id')))
        yield ' '
        yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'id')))
    if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'version'):
        pass
        yield ' · '
        yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'version')))
        yield ' '
        yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'version')))
    yield '</p>\n</header>\n<nav aria-labelledby="contents">\n<h2 id="contents">'
    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'contents')))
    yield '</h2>\n<ol>\n'
    for l_1_s in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'sections'):
        _loop_vars = {}
        pass
        yield '<li><a href="#'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'key')))
        yield '">'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'title')))
        yield '</a></li>\n'
    l_1_s = missing
    yield '</ol>\n</nav>\n<main>\n'
    for l_1_s in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'sections'):
        l_1_price = resolve('price')
        _loop_vars = {}
        pass
        yield '<section id="'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'key')))
        yield '">\n<h2>'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'number')))
        yield '. '
        yield escape(environment.finalize(environment.getattr(l_1_s, 'title')))
        yield '</h2>\n'
        if (environment.getattr(l_1_s, 'key') == 'parties'):
            pass
            yield '<table>\n<thead><tr><td></td>'
            for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                _loop_vars = {}
                pass
                yield '<th scope="col">'
                yield escape(environment.finalize(environment.getattr(l_2_p, 'role')))
                yield '</th>'
            l_2_p = missing
            yield '</tr></thead>\n<tbody>\n<tr><th scope="row">'
            yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'name')))
            yield '</th>'
            for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                _loop_vars = {}
                pass
                yield '<td><strong>'
                yield escape(environment.finalize(environment.getattr(l_2_p, 'name')))
                yield '</strong></td>'
            l_2_p = missing
            yield '</tr>\n'
            for l_2_key in ('contact', 'address', 'email', 'phone', 'website'):
                _loop_vars = {}
                pass
                if t_1(context.eval_ctx, t_2(context, environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'), l_2_key)):
                    pass
                    yield '<tr><th scope="row">'
                    yield escape(environment.finalize(environment.getitem((undefined(name='labels') if l_0_labels is missing else l_0_labels), l_2_key)))
                    yield '</th>'
                    for l_3_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                        _loop_vars = {}
                        pass
                        yield '<td>'
                        if ((l_2_key == 'email') and environment.getattr(l_3_p, 'email')):
                            pass
                            yield '<a href="mailto:'
                            yield escape(environment.finalize(environment.getattr(l_3_p, 'email')))
                            yield '">'
                            yield escape(environment.finalize(environment.getattr(l_3_p, 'email')))
                            yield '</a>'
                        elif ((l_2_key == 'website') and environment.getattr(l_3_p, 'website_url')):
                            pass
                            yield '<a href="'
                            yield escape(environment.finalize(environment.getattr(l_3_p, 'website_url')))
                            yield '">'
                            yield escape(environment.finalize(environment.getattr(l_3_p, 'website')))
                            yield '</a>'
                        else:
                            pass
                            yield escape(environment.finalize(environment.getitem(l_3_p, l_2_key)))
                        yield '</td>'
                    l_3_p = missing
                    yield '</tr>\n'
            l_2_key = missing
            yield '</tbody>\n</table>\n<dl class="details">\n'
            for l_2_d in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'details'):
                _loop_vars = {}
                pass
                yield '<dt>'
                yield escape(environment.finalize(environment.getattr(l_2_d, 'label')))
                yield '</dt><dd>'
                yield escape(environment.finalize(environment.getattr(l_2_d, 'value')))
                yield '</dd>\n'
            l_2_d = missing
            yield '</dl>\n'
        elif (environment.getattr(l_1_s, 'key') == 'term'):
            pass
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'term_text'):
                pass
                yield '<p>'
                yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'term_text')))
                yield '</p>\n'
            yield '<dl class="details">\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'start'):
                pass
                yield '<dt>'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'start')))
                yield '</dt><dd>'
                yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'start')))
                yield '</dd>\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'end'):
                pass
                yield '<dt>'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'end')))
                yield '</dt><dd>'
                yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'end')))
                yield '</dd>\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'term'):
                pass
                yield '<dt>'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'term')))
                yield '</dt><dd>'
                yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'term')))
                yield '</dd>\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'renewal'):
                pass
                yield '<dt>'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'renewal')))
                yield '</dt><dd>'
                yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'renewal')))
                yield '</dd>\n'
            yield '</dl>\n'
        elif (environment.getattr(l_1_s, 'key') == 'services'):
            pass
            for l_2_service in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'services'):
                _loop_vars = {}
                pass
                yield '<article>\n<h3>'
                yield escape(environment.finalize(environment.getattr(l_2_service, 'title')))
                yield '</h3>\n<dl class="details">\n'
                if environment.getattr(l_2_service, 'quantity'):
                    pass
                    yield '<dt>'
                    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'quantity')))
                    yield '</dt><dd>'
                    yield escape(environment.finalize(environment.getattr(l_2_service, 'quantity')))
                    yield '</dd>\n'
                if environment.getattr(l_2_service, 'hours'):
                    pass
                    yield '<dt>'
                    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'hours')))
                    yield ' ('
                    yield escape(environment.finalize(environment.getattr(l_2_service, 'calendar')))
                    yield ')</dt><dd>'
                    yield escape(environment.finalize(environment.getattr(l_2_service, 'hours')))
                    yield '</dd>\n'
                if environment.getattr(l_2_service, 'availability'):
                    pass
                    yield '<dt>'
                    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'availability')))
                    yield '</dt><dd>'
                    yield escape(environment.finalize(environment.getattr(l_2_service, 'availability')))
                    yield '</dd>\n'
                if environment.getattr(l_2_service, 'includes'):
                    pass
                    yield '<dt>'
                    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'includes')))
                    yield '</dt><dd><ul>'
                    for l_3_item in environment.getattr(l_2_service, 'includes'):
                        _loop_vars = {}
                        pass
                        yield '<li>'
                        yield escape(environment.finalize(l_3_item))
                        yield '</li>'
                    l_3_item = missing
                    yield '</ul></dd>\n'
                if environment.getattr(l_2_service, 'excludes'):
                    pass
                    yield '<dt>'
                    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'excludes')))
                    yield '</dt><dd><ul>'
                    for l_3_item in environment.getattr(l_2_service, 'excludes'):
                        _loop_vars = {}
                        pass
                        yield '<li>'
                        yield escape(environment.finalize(l_3_item))
                        yield '</li>'
                    l_3_item = missing
                    yield '</ul></dd>\n'
                yield '</dl>\n</article>\n'
            l_2_service = missing
        elif (environment.getattr(l_1_s, 'key') == 'hours'):
            pass
            yield '<table>\n<thead><tr><th scope="col">'
            yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'calendar')))
            yield '</th><th scope="col">'
            yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'hours')))
            yield '</th></tr></thead>\n<tbody>\n'
            for l_2_cal in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'calendars'):
                _loop_vars = {}
                pass
                yield '<tr><th scope="row">'
                yield escape(environment.finalize(environment.getattr(l_2_cal, 'name')))
                yield '</th><td>'
                yield escape(environment.finalize(environment.getattr(l_2_cal, 'summary')))
                yield '</td></tr>\n'
            l_2_cal = missing
            yield '</tbody>\n</table>\n'
        elif (environment.getattr(l_1_s, 'key') == 'priorities'):
            pass
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'priorities'):
                pass
                yield '<table>\n<thead><tr><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'priority')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'description')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'response')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'resolution')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'updates')))
                yield '</th></tr></thead>\n<tbody>\n'
                for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'priorities'):
                    _loop_vars = {}
                    pass
                    yield '<tr><th scope="row">'
                    yield escape(environment.finalize(environment.getattr(l_2_p, 'name')))
                    yield '</th><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_p, 'title')))
                    yield '</td><td>'
                    yield escape(environment.finalize((environment.getattr(environment.getattr(l_2_p, 'response'), 'summary') if environment.getattr(l_2_p, 'response') else environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield '</td><td>'
                    yield escape(environment.finalize((environment.getattr(environment.getattr(l_2_p, 'resolution'), 'summary') if environment.getattr(l_2_p, 'resolution') else environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield '</td><td>'
                    yield escape(environment.finalize((environment.getattr(environment.getattr(l_2_p, 'updates'), 'summary') if environment.getattr(l_2_p, 'updates') else environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield '</td></tr>\n'
                l_2_p = missing
                yield '</tbody>\n</table>\n<p class="note">'
                yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'targets_note')))
                yield '</p>\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'clock'):
                pass
                yield '<p>'
                yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'clock')))
                yield '</p>\n'
        elif (environment.getattr(l_1_s, 'key') == 'availability'):
            pass
            yield '<table>\n<thead><tr><th scope="col">'
            yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'service')))
            yield '</th><th scope="col">'
            yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'target')))
            yield '</th><th scope="col">'
            yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'measured')))
            yield '</th></tr></thead>\n<tbody>\n'
            for l_2_a in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'availability'):
                _loop_vars = {}
                pass
                yield '<tr><th scope="row">'
                yield escape(environment.finalize(environment.getattr(l_2_a, 'service')))
                yield '</th><td>'
                yield escape(environment.finalize(environment.getattr(l_2_a, 'target')))
                yield '</td><td>'
                yield escape(environment.finalize(environment.getattr(l_2_a, 'measured')))
                yield '</td></tr>\n'
            l_2_a = missing
            yield '</tbody>\n</table>\n<p class="note">'
            yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'availability_note')))
            yield '</p>\n'
        elif (environment.getattr(l_1_s, 'key') == 'maintenance'):
            pass
            yield '<table>\n<thead><tr><th scope="col">'
            yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'window')))
            yield '</th><th scope="col">'
            yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'calendar')))
            yield '</th><th scope="col">'
            yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'notice')))
            yield '</th></tr></thead>\n<tbody>\n'
            for l_2_w in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'maintenance'):
                _loop_vars = {}
                pass
                yield '<tr><td>'
                yield escape(environment.finalize(environment.getattr(l_2_w, 'window')))
                yield '</td><td>'
                yield escape(environment.finalize((environment.getattr(l_2_w, 'calendar') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                yield '</td><td>'
                yield escape(environment.finalize((environment.getattr(l_2_w, 'notice') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                yield '</td></tr>\n'
            l_2_w = missing
            yield '</tbody>\n</table>\n'
        elif (environment.getattr(l_1_s, 'key') == 'credits'):
            pass
            if environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'tiers'):
                pass
                yield '<table>\n<thead><tr><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'below')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'credit')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'applies_to')))
                yield '</th></tr></thead>\n<tbody>\n'
                for l_2_t in environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'tiers'):
                    _loop_vars = {}
                    pass
                    yield '<tr><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_t, 'below')))
                    yield '</td><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_t, 'credit')))
                    yield '</td><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_t, 'applies_to')))
                    yield '</td></tr>\n'
                l_2_t = missing
                yield '</tbody>\n</table>\n'
            if environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'breaches'):
                pass
                yield '<table>\n<thead><tr><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'missed_target')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'credit')))
                yield '</th></tr></thead>\n<tbody>\n'
                for l_2_b in environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'breaches'):
                    _loop_vars = {}
                    pass
                    yield '<tr><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_b, 'target')))
                    yield '</td><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_b, 'credit')))
                    yield '</td></tr>\n'
                l_2_b = missing
                yield '</tbody>\n</table>\n'
            yield '<p>'
            yield escape(environment.finalize(environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'rule')))
            yield '</p>\n'
            if environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'cap'):
                pass
                yield '<p>'
                yield escape(environment.finalize(environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'cap')))
                yield '</p>\n'
            if environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'claim'):
                pass
                yield '<p>'
                yield escape(environment.finalize(environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'claim')))
                yield '</p>\n'
        elif (environment.getattr(l_1_s, 'key') == 'fees'):
            pass
            l_1_price = environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'price')
            _loop_vars['price'] = l_1_price
            if ((undefined(name='price') if l_1_price is missing else l_1_price) and environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'recurring')):
                pass
                yield '<table class="fees">\n<caption>'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'recurring_fees')))
                yield '</caption>\n<thead><tr><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'service')))
                yield '</th><th scope="col" class="num">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'quantity')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'unit_price')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'billed')))
                yield '</th><th scope="col" class="num">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'per_invoice')))
                yield '</th></tr></thead>\n<tbody>\n'
                for l_2_fee in environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'recurring'):
                    _loop_vars = {}
                    pass
                    yield '<tr><th scope="row">'
                    yield escape(environment.finalize(environment.getattr(l_2_fee, 'service')))
                    yield '</th><td class="num">'
                    yield escape(environment.finalize((environment.getattr(l_2_fee, 'quantity') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield '</td><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_fee, 'unit_price')))
                    yield '</td><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_fee, 'frequency')))
                    yield '</td><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_fee, 'per_invoice')))
                    yield '</td></tr>\n'
                l_2_fee = missing
                yield '</tbody>\n</table>\n'
                def t_3(fiter):
                    for l_2_fee in fiter:
                        if environment.getattr(l_2_fee, 'tiers'):
                            yield l_2_fee
                for l_2_fee in t_3(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'recurring')):
                    _loop_vars = {}
                    pass
                    yield '<table class="bands">\n<caption>'
                    yield escape(environment.finalize(environment.getattr(l_2_fee, 'tiers_title')))
                    yield '</caption>\n<thead><tr><th scope="col">'
                    yield escape(environment.finalize(environment.getattr(l_2_fee, 'band_header')))
                    yield '</th><th scope="col" class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_fee, 'price_header')))
                    yield '</th><th scope="col" class="num">'
                    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'units_priced')))
                    yield '</th><th scope="col" class="num">'
                    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'amount')))
                    yield '</th></tr></thead>\n<tbody>\n'
                    for l_3_band in environment.getattr(l_2_fee, 'bands'):
                        _loop_vars = {}
                        pass
                        yield '<tr'
                        if ((environment.getattr(l_2_fee, 'tiers') == 'volume') and environment.getattr(l_3_band, 'applies')):
                            pass
                            yield ' class="applies"'
                        yield '><td>'
                        yield escape(environment.finalize(environment.getattr(l_3_band, 'units')))
                        yield '</td><td class="num">'
                        yield escape(environment.finalize(environment.getattr(l_3_band, 'price')))
                        yield '</td><td class="num">'
                        yield escape(environment.finalize((environment.getattr(l_3_band, 'count') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                        yield '</td><td class="num">'
                        yield escape(environment.finalize((environment.getattr(l_3_band, 'amount') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                        yield '</td></tr>\n'
                    l_3_band = missing
                    yield '<tr class="total"><th scope="row" colspan="2">'
                    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'per_invoice')))
                    yield '</th><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_fee, 'total_count')))
                    yield '</td><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_fee, 'per_invoice')))
                    yield '</td></tr>\n</tbody>\n</table>\n<p class="note">'
                    yield escape(environment.finalize(environment.getattr(l_2_fee, 'tiers_rule')))
                    yield '</p>\n'
                l_2_fee = missing
                if environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'increase'):
                    pass
                    yield '<p>'
                    yield escape(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'increase')))
                    yield '</p>\n'
            if ((undefined(name='price') if l_1_price is missing else l_1_price) and environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'one_time')):
                pass
                yield '<table>\n<caption>'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'one_time_fees')))
                yield '</caption>\n<thead><tr><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'item')))
                yield '</th><th scope="col" class="num">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'invoices')))
                yield '</th><th scope="col" class="num">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'per_invoice')))
                yield '</th><th scope="col" class="num">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'amount')))
                yield '</th></tr></thead>\n<tbody>\n'
                for l_2_line in environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'one_time'):
                    _loop_vars = {}
                    pass
                    yield '<tr><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_line, 'description')))
                    yield '</td><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_line, 'quantity')))
                    yield '</td><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_line, 'unit_price')))
                    yield '</td><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_line, 'amount')))
                    yield '</td></tr>\n'
                l_2_line = missing
                yield '<tr class="total"><th scope="row" colspan="3">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'one_time_total')))
                yield '</th><td class="num">'
                yield escape(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'one_time_total')))
                yield '</td></tr>\n</tbody>\n</table>\n'
            if (undefined(name='price') if l_1_price is missing else l_1_price):
                pass
                for l_2_year in environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'years'):
                    _loop_vars = {}
                    pass
                    yield '<table>\n<caption>'
                    yield escape(environment.finalize(environment.getattr(l_2_year, 'title')))
                    yield '</caption>\n<thead><tr><th scope="col">'
                    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'item')))
                    yield '</th><th scope="col" class="num">'
                    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'invoices')))
                    yield '</th><th scope="col" class="num">'
                    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'per_invoice')))
                    yield '</th><th scope="col" class="num">'
                    yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'amount')))
                    yield '</th></tr></thead>\n<tbody>\n'
                    for l_3_line in environment.getattr(l_2_year, 'lines'):
                        _loop_vars = {}
                        pass
                        yield '<tr><td>'
                        yield escape(environment.finalize(environment.getattr(l_3_line, 'description')))
                        yield '</td><td class="num">'
                        yield escape(environment.finalize(environment.getattr(l_3_line, 'quantity')))
                        yield '</td><td class="num">'
                        yield escape(environment.finalize(environment.getattr(l_3_line, 'unit_price')))
                        yield '</td><td class="num">'
                        yield escape(environment.finalize(environment.getattr(l_3_line, 'amount')))
                        yield '</td></tr>\n'
                    l_3_line = missing
                    yield '<tr class="total"><th scope="row" colspan="3">'
                    yield escape(environment.finalize(environment.getattr(l_2_year, 'total_label')))
                    yield '</th><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_year, 'total')))
                    yield '</td></tr>\n</tbody>\n</table>\n'
                l_2_year = missing
                yield '<dl class="details">\n<dt>'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'first_month')))
                yield '</dt><dd>'
                yield escape(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'first_month')))
                yield '</dd>\n<dt>'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'term_total')))
                yield '</dt><dd><strong>'
                yield escape(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'term_total')))
                yield '</strong></dd>\n</dl>\n'
                if (environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'increase') and (not environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'recurring'))):
                    pass
                    yield '<p>'
                    yield escape(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'increase')))
                    yield '</p>\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'blocks'):
                pass
                yield '<h3>'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'prepaid_hours')))
                yield '</h3>\n<table>\n<thead><tr><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'block')))
                yield '</th><th scope="col" class="num">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'price')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'billed')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'drawn_by')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'unused_hours')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'beyond_block')))
                yield '</th></tr></thead>\n<tbody>\n'
                for l_2_b in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'blocks'):
                    _loop_vars = {}
                    pass
                    yield '<tr><th scope="row">'
                    yield escape(environment.finalize(environment.getattr(l_2_b, 'hours')))
                    yield '</th><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_b, 'price')))
                    yield '</td><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_b, 'frequency')))
                    yield '</td><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_b, 'drawn_by')))
                    yield '</td><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_b, 'unused')))
                    yield '</td><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_b, 'beyond')))
                    yield '</td></tr>\n'
                l_2_b = missing
                yield '</tbody>\n</table>\n<table class="bands">\n<thead><tr><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'multiplier')))
                yield '</th><th scope="col" class="num">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'hours_drawn')))
                yield '</th></tr></thead>\n<tbody>\n'
                for l_2_d in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'block_draws'):
                    _loop_vars = {}
                    pass
                    yield '<tr><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_d, 'when')))
                    yield '</td><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_d, 'hours')))
                    yield '</td></tr>\n'
                l_2_d = missing
                yield '</tbody>\n</table>\n<p class="note">'
                yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'blocks_note')))
                yield '</p>\n'
        elif (environment.getattr(l_1_s, 'key') == 'rates'):
            pass
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'rates'):
                pass
                yield '<table>\n<thead><tr><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'role')))
                yield '</th><th scope="col" class="num">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'rate')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'increment')))
                yield '</th><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'minimum')))
                yield '</th></tr></thead>\n<tbody>\n'
                for l_2_r in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'rates'):
                    _loop_vars = {}
                    pass
                    yield '<tr><th scope="row">'
                    yield escape(environment.finalize(environment.getattr(l_2_r, 'role')))
                    yield '</th><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_r, 'rate')))
                    yield '</td><td>'
                    yield escape(environment.finalize((environment.getattr(l_2_r, 'increment') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield '</td><td>'
                    yield escape(environment.finalize((environment.getattr(l_2_r, 'minimum') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield '</td></tr>\n'
                l_2_r = missing
                yield '</tbody>\n</table>\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'multipliers'):
                pass
                yield '<table>\n<thead><tr><th scope="col">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'multiplier')))
                yield '</th><th scope="col" class="num">'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'factor')))
                yield '</th></tr></thead>\n<tbody>\n'
                for l_2_x in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'multipliers'):
                    _loop_vars = {}
                    pass
                    yield '<tr><td>'
                    yield escape(environment.finalize(environment.getattr(l_2_x, 'when')))
                    yield '</td><td class="num">'
                    yield escape(environment.finalize(environment.getattr(l_2_x, 'factor')))
                    yield '</td></tr>\n'
                l_2_x = missing
                yield '</tbody>\n</table>\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'charges'):
                pass
                yield '<h3>'
                yield escape(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'charges')))
                yield '</h3>\n<dl class="details">\n'
                for l_2_c in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'charges'):
                    _loop_vars = {}
                    pass
                    yield '<dt>'
                    yield escape(environment.finalize(environment.getattr(l_2_c, 'label')))
                    yield '</dt><dd>'
                    yield escape(environment.finalize(environment.getattr(l_2_c, 'value')))
                    yield '</dd>\n'
                l_2_c = missing
                yield '</dl>\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'rates_note'):
                pass
                yield '<p class="note">'
                yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'rates_note')))
                yield '</p>\n'
        elif (environment.getattr(l_1_s, 'key') == 'payment'):
            pass
            yield '<p>'
            yield escape(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'payment')))
            yield '</p>\n'
        elif (environment.getattr(l_1_s, 'key') == 'clause'):
            pass
            for l_2_paragraph in environment.getattr(l_1_s, 'paragraphs'):
                _loop_vars = {}
                pass
                yield '<p>'
                yield escape(environment.finalize(l_2_paragraph))
                yield '</p>\n'
            l_2_paragraph = missing
        elif (environment.getattr(l_1_s, 'key') == 'signatures'):
            pass
            yield '<table class="signatures">\n<thead><tr><td></td>'
            for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                _loop_vars = {}
                pass
                yield '<th scope="col">'
                yield escape(environment.finalize(environment.getattr(l_2_p, 'signs_as')))
                yield '<br>'
                yield escape(environment.finalize(environment.getattr(l_2_p, 'name')))
                yield '</th>'
            l_2_p = missing
            yield '</tr></thead>\n<tbody>\n'
            for l_2_label in (environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'signature'), environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'name'), environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'position'), environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'place_date')):
                _loop_vars = {}
                pass
                yield '<tr><th scope="row">'
                yield escape(environment.finalize(l_2_label))
                yield '</th>'
                for l_3_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                    _loop_vars = {}
                    pass
                    yield '<td></td>'
                l_3_p = missing
                yield '</tr>\n'
            l_2_label = missing
            yield '</tbody>\n</table>\n'
        yield '</section>\n'
    l_1_s = l_1_price = missing
    yield '</main>\n</body>\n</html>\n'

blocks = {}
debug_info = '5=26&10=28&59=30&60=32&61=34&64=48&66=50&67=54&72=60&73=65&74=67&75=71&77=74&79=82&80=92&81=95&82=98&83=104&84=111&85=120&91=126&92=130&95=136&96=138&97=141&100=144&101=147&103=151&104=154&106=158&107=161&109=165&110=168&113=173&114=175&116=179&118=181&119=184&121=188&122=191&124=197&125=200&127=204&128=207&130=217&131=220&136=232&138=235&140=239&141=243&145=249&146=251&148=254&150=264&151=268&155=280&157=282&158=285&160=287&162=290&164=296&165=300&169=308&170=310&172=313&174=319&175=323&179=331&180=333&182=336&184=342&185=346&190=354&192=357&194=361&195=365&200=372&201=374&202=377&204=379&205=382&207=384&208=386&209=388&211=391&212=393&214=403&215=407&219=419&221=427&222=429&224=437&225=441&227=455&230=461&232=464&233=467&236=469&238=472&239=474&241=482&242=486&244=496&248=500&249=502&251=506&252=508&254=516&255=520&257=530&262=536&263=540&265=544&266=547&269=549&270=552&272=554&274=566&275=570&280=584&282=588&283=592&287=598&289=600&290=602&292=605&294=613&295=617&300=627&302=630&304=634&305=638&310=644&311=647&313=649&314=653&318=659&319=662&321=664&322=667&323=669&324=671&325=675&327=678&329=681&331=691&332=695'
