# sla-jinja/1 environment=5255ae1cd23562b3 source-sha1=5270e5cbd7bf8d9cda25183f45d725161d3b0f4d
# The template renderers/typst/contract.typ.j2 as Python, made by Jinja with
# `python -m sla.templates --regenerate`: do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'contract.typ.j2'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_contract = resolve('contract')
    l_0_labels = resolve('labels')
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_2 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_3 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_4 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'selectattr' found.")
    pass
    yield '#let reference = '
    yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'reference')))
    yield '\n#let title = '
    yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'title')))
    yield '\n#let accent = rgb("#1f4e79")\n#let muted = luma(90)\n#let rule = luma(185)\n#let band = luma(242)\n\n#set document(title: title, author: '
    yield str(environment.finalize(t_2(context.eval_ctx, t_3(context, environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'), attribute='name'))))
    yield ', date: none)\n#set text(font: "Libertinus Serif", size: 10pt, lang: '
    yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'language')))
    yield ', region: '
    yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'region')))
    yield ', hyphenate: false)\n#set par(justify: false, leading: 0.62em, spacing: 0.9em)\n#set heading(numbering: "1.")\n#show heading.where(level: 1): it => block(above: 1.7em, below: 0.9em, text(size: 13pt, fill: accent, it))\n#show heading.where(level: 2): it => block(above: 1.2em, below: 0.7em, text(size: 11pt, it))\n#set table(stroke: 0.5pt + rule, inset: (x: 5pt, y: 4pt))\n#set table.header(repeat: true)\n#set table.cell(breakable: false)\n#set list(indent: 0.4em, spacing: 0.5em)\n#set page(\n  paper: "a4",\n  margin: (x: 20mm, top: 24mm, bottom: 20mm),\n  header: context {\n    set text(size: 8pt, fill: muted)\n    reference\n    h(1fr)\n    title\n  },\n  footer: context {\n    set text(size: 8pt, fill: muted)\n    h(1fr)\n    [#'
    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'page')))
    yield ' #counter(page).display() #'
    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'of')))
    yield ' #counter(page).final().first()]\n    h(1fr)\n  },\n)\n\n#let head(..cells) = table.header(..cells.pos().map(cell => table.cell(fill: band, strong(cell))))\n#let details(..pairs) = grid(\n  columns: (auto, 1fr), column-gutter: 12pt, row-gutter: 0.65em,\n  ..pairs.pos().map(pair => (strong(pair.at(0)), pair.at(1))).flatten(),\n)\n#let total(label, amount, span) = (table.cell(colspan: span, fill: band, strong(label)), table.cell(fill: band, strong(amount)))\n\n#block(below: 1.4em)[\n  #text(size: 9pt, fill: muted, '
    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'document')))
    yield ')\n  #v(2pt)\n  #text(size: 20pt, weight: "bold", fill: accent, title)\n  #v(2pt)\n  #text(size: 10pt, fill: muted, reference)\n]\n\n#outline(title: '
    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'contents')))
    yield ', depth: 1)\n\n'
    for l_1_s in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'sections'):
        l_1_price = resolve('price')
        _loop_vars = {}
        pass
        yield '= #'
        yield str(environment.finalize(environment.getattr(l_1_s, 'title')))
        yield '\n\n'
        if (environment.getattr(l_1_s, 'key') == 'parties'):
            pass
            yield '#table(\n  columns: (auto,) + (1fr,) * '
            yield str(environment.finalize(t_1(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'))))
            yield ',\n  head("", '
            for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                _loop_vars = {}
                pass
                yield str(environment.finalize(environment.getattr(l_2_p, 'role')))
                yield ', '
            l_2_p = missing
            yield '),\n  strong('
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'name')))
            yield '), '
            for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                _loop_vars = {}
                pass
                yield 'strong('
                yield str(environment.finalize(environment.getattr(l_2_p, 'name')))
                yield '), '
            l_2_p = missing
            yield '\n'
            for l_2_key in ('contact', 'address', 'email', 'phone', 'website'):
                _loop_vars = {}
                pass
                if t_2(context.eval_ctx, t_4(context, environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'), l_2_key)):
                    pass
                    yield '  strong('
                    yield str(environment.finalize(environment.getitem((undefined(name='labels') if l_0_labels is missing else l_0_labels), l_2_key)))
                    yield '), '
                    for l_3_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                        _loop_vars = {}
                        pass
                        if ((l_2_key == 'website') and environment.getattr(l_3_p, 'website_url')):
                            pass
                            yield 'link('
                            yield str(environment.finalize(environment.getattr(l_3_p, 'website_url')))
                            yield ', '
                            yield str(environment.finalize(environment.getattr(l_3_p, 'website')))
                            yield ')'
                        else:
                            pass
                            yield str(environment.finalize((environment.getitem(l_3_p, l_2_key) or '')))
                        yield ', '
                    l_3_p = missing
                    yield '\n'
            l_2_key = missing
            yield ')\n\n#details(\n'
            for l_2_d in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'details'):
                _loop_vars = {}
                pass
                yield '  ('
                yield str(environment.finalize(environment.getattr(l_2_d, 'label')))
                yield ', '
                yield str(environment.finalize(environment.getattr(l_2_d, 'value')))
                yield '),\n'
            l_2_d = missing
            yield ')\n'
        elif (environment.getattr(l_1_s, 'key') == 'term'):
            pass
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'term_text'):
                pass
                yield '#'
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'term_text')))
                yield '\n\n'
            yield '#details(\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'start'):
                pass
                yield '  ('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'start')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'start')))
                yield '),\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'end'):
                pass
                yield '  ('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'end')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'end')))
                yield '),\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'term'):
                pass
                yield '  ('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'term')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'term')))
                yield '),\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'renewal'):
                pass
                yield '  ('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'renewal')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'renewal')))
                yield '),\n'
            yield ')\n'
        elif (environment.getattr(l_1_s, 'key') == 'services'):
            pass
            for l_2_service in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'services'):
                _loop_vars = {}
                pass
                yield '== #'
                yield str(environment.finalize(environment.getattr(l_2_service, 'title')))
                yield '\n\n#details(\n'
                if environment.getattr(l_2_service, 'quantity'):
                    pass
                    yield '  ('
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'quantity')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_service, 'quantity')))
                    yield '),\n'
                if environment.getattr(l_2_service, 'hours'):
                    pass
                    yield '  ('
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'hours')))
                    yield ' + " (" + '
                    yield str(environment.finalize(environment.getattr(l_2_service, 'calendar')))
                    yield ' + ")", '
                    yield str(environment.finalize(environment.getattr(l_2_service, 'hours')))
                    yield '),\n'
                if environment.getattr(l_2_service, 'availability'):
                    pass
                    yield '  ('
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'availability')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_service, 'availability')))
                    yield '),\n'
                if environment.getattr(l_2_service, 'includes'):
                    pass
                    yield '  ('
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'includes')))
                    yield ', list(..'
                    yield str(environment.finalize(environment.getattr(l_2_service, 'includes')))
                    yield ')),\n'
                if environment.getattr(l_2_service, 'excludes'):
                    pass
                    yield '  ('
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'excludes')))
                    yield ', list(..'
                    yield str(environment.finalize(environment.getattr(l_2_service, 'excludes')))
                    yield ')),\n'
                yield ')\n\n'
            l_2_service = missing
        elif (environment.getattr(l_1_s, 'key') == 'hours'):
            pass
            yield '#table(\n  columns: (auto, 1fr),\n  head('
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'calendar')))
            yield ', '
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'hours')))
            yield '),\n'
            for l_2_cal in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'calendars'):
                _loop_vars = {}
                pass
                yield '  strong('
                yield str(environment.finalize(environment.getattr(l_2_cal, 'name')))
                yield '), '
                yield str(environment.finalize(environment.getattr(l_2_cal, 'summary')))
                yield ',\n'
            l_2_cal = missing
            yield ')\n'
        elif (environment.getattr(l_1_s, 'key') == 'priorities'):
            pass
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'priorities'):
                pass
                yield '#table(\n  columns: (auto, 1.3fr, 1fr, 1fr, 1fr),\n  head('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'priority')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'description')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'response')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'resolution')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'updates')))
                yield '),\n'
                for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'priorities'):
                    _loop_vars = {}
                    pass
                    yield '  strong('
                    yield str(environment.finalize(environment.getattr(l_2_p, 'name')))
                    yield '), '
                    yield str(environment.finalize(environment.getattr(l_2_p, 'title')))
                    yield ', '
                    yield str(environment.finalize((environment.getattr(environment.getattr(l_2_p, 'response'), 'summary') if environment.getattr(l_2_p, 'response') else environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield ', '
                    yield str(environment.finalize((environment.getattr(environment.getattr(l_2_p, 'resolution'), 'summary') if environment.getattr(l_2_p, 'resolution') else environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield ', '
                    yield str(environment.finalize((environment.getattr(environment.getattr(l_2_p, 'updates'), 'summary') if environment.getattr(l_2_p, 'updates') else environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield ',\n'
                l_2_p = missing
                yield ')\n\n#text(size: 9pt, fill: muted, '
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'targets_note')))
                yield ')\n\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'clock'):
                pass
                yield '#'
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'clock')))
                yield '\n\n'
        elif (environment.getattr(l_1_s, 'key') == 'availability'):
            pass
            yield '#table(\n  columns: (1fr, auto, 1.4fr),\n  head('
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'service')))
            yield ', '
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'target')))
            yield ', '
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'measured')))
            yield '),\n'
            for l_2_a in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'availability'):
                _loop_vars = {}
                pass
                yield '  '
                yield str(environment.finalize(environment.getattr(l_2_a, 'service')))
                yield ', '
                yield str(environment.finalize(environment.getattr(l_2_a, 'target')))
                yield ', '
                yield str(environment.finalize(environment.getattr(l_2_a, 'measured')))
                yield ',\n'
            l_2_a = missing
            yield ')\n\n#text(size: 9pt, fill: muted, '
            yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'availability_note')))
            yield ')\n\n'
        elif (environment.getattr(l_1_s, 'key') == 'maintenance'):
            pass
            yield '#table(\n  columns: (1fr, auto, auto),\n  head('
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'window')))
            yield ', '
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'calendar')))
            yield ', '
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'notice')))
            yield '),\n'
            for l_2_w in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'maintenance'):
                _loop_vars = {}
                pass
                yield '  '
                yield str(environment.finalize(environment.getattr(l_2_w, 'window')))
                yield ', '
                yield str(environment.finalize((environment.getattr(l_2_w, 'calendar') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                yield ', '
                yield str(environment.finalize((environment.getattr(l_2_w, 'notice') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                yield ',\n'
            l_2_w = missing
            yield ')\n'
        elif (environment.getattr(l_1_s, 'key') == 'credits'):
            pass
            if environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'tiers'):
                pass
                yield '#table(\n  columns: (auto, 1fr, 1fr),\n  align: (right, left, left),\n  head('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'below')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'credit')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'applies_to')))
                yield '),\n'
                for l_2_t in environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'tiers'):
                    _loop_vars = {}
                    pass
                    yield '  '
                    yield str(environment.finalize(environment.getattr(l_2_t, 'below')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_t, 'credit')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_t, 'applies_to')))
                    yield ',\n'
                l_2_t = missing
                yield ')\n\n'
            if environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'breaches'):
                pass
                yield '#table(\n  columns: (1fr, auto),\n  align: (left, right),\n  head('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'missed_target')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'credit')))
                yield '),\n'
                for l_2_b in environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'breaches'):
                    _loop_vars = {}
                    pass
                    yield '  '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'target')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'credit')))
                    yield ',\n'
                l_2_b = missing
                yield ')\n\n'
            yield '#'
            yield str(environment.finalize(environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'rule')))
            yield '\n\n'
            if environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'cap'):
                pass
                yield '#'
                yield str(environment.finalize(environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'cap')))
                yield '\n\n'
            if environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'claim'):
                pass
                yield '#'
                yield str(environment.finalize(environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'claim')))
                yield '\n\n'
        elif (environment.getattr(l_1_s, 'key') == 'fees'):
            pass
            l_1_price = environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'price')
            _loop_vars['price'] = l_1_price
            if ((undefined(name='price') if l_1_price is missing else l_1_price) and environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'recurring')):
                pass
                yield '== #'
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'recurring_fees')))
                yield '\n\n#table(\n  columns: (1fr, auto, auto, auto, auto),\n  align: (left, right, left, left, right),\n  head('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'service')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'quantity')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'unit_price')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'billed')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'per_invoice')))
                yield '),\n'
                for l_2_fee in environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'recurring'):
                    _loop_vars = {}
                    pass
                    yield '  '
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'service')))
                    yield ', '
                    yield str(environment.finalize((environment.getattr(l_2_fee, 'quantity') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'unit_price')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'frequency')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'per_invoice')))
                    yield ',\n'
                l_2_fee = missing
                yield ')\n\n'
                def t_5(fiter):
                    for l_2_fee in fiter:
                        if environment.getattr(l_2_fee, 'tiers'):
                            yield l_2_fee
                for l_2_fee in t_5(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'recurring')):
                    _loop_vars = {}
                    pass
                    yield '#block(breakable: false)[\n#strong('
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'tiers_title')))
                    yield '). #'
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'tiers_rule')))
                    yield '\n\n#table(\n  columns: (1fr, auto, auto, auto),\n  align: (left, right, right, right),\n  head('
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'band_header')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'price_header')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'units_priced')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'amount')))
                    yield '),\n'
                    for l_3_band in environment.getattr(l_2_fee, 'bands'):
                        _loop_vars = {}
                        pass
                        if ((environment.getattr(l_2_fee, 'tiers') == 'volume') and environment.getattr(l_3_band, 'applies')):
                            pass
                            yield '  strong('
                            yield str(environment.finalize(environment.getattr(l_3_band, 'units')))
                            yield '), strong('
                            yield str(environment.finalize(environment.getattr(l_3_band, 'price')))
                            yield '), strong('
                            yield str(environment.finalize(environment.getattr(l_3_band, 'count')))
                            yield '), strong('
                            yield str(environment.finalize(environment.getattr(l_3_band, 'amount')))
                            yield '),\n'
                        else:
                            pass
                            yield '  '
                            yield str(environment.finalize(environment.getattr(l_3_band, 'units')))
                            yield ', '
                            yield str(environment.finalize(environment.getattr(l_3_band, 'price')))
                            yield ', '
                            yield str(environment.finalize((environment.getattr(l_3_band, 'count') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                            yield ', '
                            yield str(environment.finalize((environment.getattr(l_3_band, 'amount') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                            yield ',\n'
                    l_3_band = missing
                    yield '  table.cell(colspan: 2, fill: band, strong('
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'per_invoice')))
                    yield ')), table.cell(fill: band, strong('
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'total_count')))
                    yield ')), table.cell(fill: band, strong('
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'per_invoice')))
                    yield ')),\n)\n]\n\n'
                l_2_fee = missing
                if environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'increase'):
                    pass
                    yield '#'
                    yield str(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'increase')))
                    yield '\n\n'
            if ((undefined(name='price') if l_1_price is missing else l_1_price) and environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'one_time')):
                pass
                yield '== #'
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'one_time_fees')))
                yield '\n\n#table(\n  columns: (1fr, auto, auto, auto),\n  align: (left, right, right, right),\n  head('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'item')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'invoices')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'per_invoice')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'amount')))
                yield '),\n'
                for l_2_line in environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'one_time'):
                    _loop_vars = {}
                    pass
                    yield '  '
                    yield str(environment.finalize(environment.getattr(l_2_line, 'description')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_line, 'quantity')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_line, 'unit_price')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_line, 'amount')))
                    yield ',\n'
                l_2_line = missing
                yield '  ..total('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'one_time_total')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'one_time_total')))
                yield ', 3),\n)\n\n'
            if (undefined(name='price') if l_1_price is missing else l_1_price):
                pass
                for l_2_year in environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'years'):
                    _loop_vars = {}
                    pass
                    yield '== #'
                    yield str(environment.finalize(environment.getattr(l_2_year, 'title')))
                    yield '\n\n#table(\n  columns: (1fr, auto, auto, auto),\n  align: (left, right, right, right),\n  head('
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'item')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'invoices')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'per_invoice')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'amount')))
                    yield '),\n'
                    for l_3_line in environment.getattr(l_2_year, 'lines'):
                        _loop_vars = {}
                        pass
                        yield '  '
                        yield str(environment.finalize(environment.getattr(l_3_line, 'description')))
                        yield ', '
                        yield str(environment.finalize(environment.getattr(l_3_line, 'quantity')))
                        yield ', '
                        yield str(environment.finalize(environment.getattr(l_3_line, 'unit_price')))
                        yield ', '
                        yield str(environment.finalize(environment.getattr(l_3_line, 'amount')))
                        yield ',\n'
                    l_3_line = missing
                    yield '  ..total('
                    yield str(environment.finalize(environment.getattr(l_2_year, 'total_label')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_year, 'total')))
                    yield ', 3),\n)\n\n'
                l_2_year = missing
                yield '#details(\n  ('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'first_month')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'first_month')))
                yield '),\n  ('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'term_total')))
                yield ', strong('
                yield str(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'term_total')))
                yield ')),\n)\n\n'
                if (environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'increase') and (not environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'recurring'))):
                    pass
                    yield '#'
                    yield str(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'increase')))
                    yield '\n\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'blocks'):
                pass
                yield '== #'
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'prepaid_hours')))
                yield '\n\n#block(breakable: false)[\n#table(\n  columns: (auto, auto, auto, auto, 1fr, 1fr),\n  align: (left, right, left, left, left, left),\n  head('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'block')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'price')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'billed')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'drawn_by')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'unused_hours')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'beyond_block')))
                yield '),\n'
                for l_2_b in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'blocks'):
                    _loop_vars = {}
                    pass
                    yield '  strong('
                    yield str(environment.finalize(environment.getattr(l_2_b, 'hours')))
                    yield '), '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'price')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'frequency')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'drawn_by')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'unused')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'beyond')))
                    yield ',\n'
                l_2_b = missing
                yield ')\n\n#table(\n  columns: (1fr, auto),\n  align: (left, right),\n  head('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'multiplier')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'hours_drawn')))
                yield '),\n'
                for l_2_d in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'block_draws'):
                    _loop_vars = {}
                    pass
                    yield '  '
                    yield str(environment.finalize(environment.getattr(l_2_d, 'when')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_d, 'hours')))
                    yield ',\n'
                l_2_d = missing
                yield ')\n\n#text(size: 9pt, fill: muted, '
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'blocks_note')))
                yield ')\n]\n\n'
        elif (environment.getattr(l_1_s, 'key') == 'rates'):
            pass
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'rates'):
                pass
                yield '#table(\n  columns: (auto, auto, auto, 1fr),\n  align: (left, right, left, left),\n  head('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'role')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'rate')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'increment')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'minimum')))
                yield '),\n'
                for l_2_r in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'rates'):
                    _loop_vars = {}
                    pass
                    yield '  strong('
                    yield str(environment.finalize(environment.getattr(l_2_r, 'role')))
                    yield '), '
                    yield str(environment.finalize(environment.getattr(l_2_r, 'rate')))
                    yield ', '
                    yield str(environment.finalize((environment.getattr(l_2_r, 'increment') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield ', '
                    yield str(environment.finalize((environment.getattr(l_2_r, 'minimum') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield ',\n'
                l_2_r = missing
                yield ')\n\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'multipliers'):
                pass
                yield '#table(\n  columns: (1fr, auto),\n  align: (left, right),\n  head('
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'multiplier')))
                yield ', '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'factor')))
                yield '),\n'
                for l_2_x in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'multipliers'):
                    _loop_vars = {}
                    pass
                    yield '  '
                    yield str(environment.finalize(environment.getattr(l_2_x, 'when')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_x, 'factor')))
                    yield ',\n'
                l_2_x = missing
                yield ')\n\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'charges'):
                pass
                yield '#details(\n'
                for l_2_c in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'charges'):
                    _loop_vars = {}
                    pass
                    yield '  ('
                    yield str(environment.finalize(environment.getattr(l_2_c, 'label')))
                    yield ', '
                    yield str(environment.finalize(environment.getattr(l_2_c, 'value')))
                    yield '),\n'
                l_2_c = missing
                yield ')\n\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'rates_note'):
                pass
                yield '#text(size: 9pt, fill: muted, '
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'rates_note')))
                yield ')\n\n'
        elif (environment.getattr(l_1_s, 'key') == 'payment'):
            pass
            yield '#'
            yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'payment')))
            yield '\n\n'
        elif (environment.getattr(l_1_s, 'key') == 'clause'):
            pass
            for l_2_paragraph in environment.getattr(l_1_s, 'paragraphs'):
                _loop_vars = {}
                pass
                yield '#'
                yield str(environment.finalize(l_2_paragraph))
                yield '\n\n'
            l_2_paragraph = missing
            yield '\n'
        elif (environment.getattr(l_1_s, 'key') == 'signatures'):
            pass
            yield '#block(breakable: false, grid(\n  columns: (1fr,) * '
            yield str(environment.finalize(t_1(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'))))
            yield ',\n  column-gutter: 24pt,\n'
            for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                _loop_vars = {}
                pass
                yield '  {\n    strong('
                yield str(environment.finalize(environment.getattr(l_2_p, 'signs_as')))
                yield ')\n    linebreak()\n    '
                yield str(environment.finalize(environment.getattr(l_2_p, 'name')))
                yield '\n'
                for l_3_label in (environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'signature'), environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'name'), environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'position'), environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'place_date')):
                    _loop_vars = {}
                    pass
                    yield '    v(26pt)\n    line(length: 100%, stroke: 0.5pt)\n    v(-6pt)\n    text(size: 8pt, fill: muted, '
                    yield str(environment.finalize(l_3_label))
                    yield ')\n'
                l_3_label = missing
                yield '  },\n'
            l_2_p = missing
            yield '))\n'
        yield '\n'
    l_1_s = l_1_price = missing

blocks = {}
debug_info = '4=38&5=40&11=42&12=44&33=48&46=52&53=54&55=56&56=61&58=63&60=66&61=68&62=75&64=85&65=88&66=91&73=111&74=115&77=121&78=123&79=126&83=129&84=132&86=136&87=139&89=143&90=146&92=150&93=153&96=158&97=160&98=164&101=166&102=169&104=173&105=176&107=182&108=185&110=189&111=192&113=196&114=199&119=205&122=208&123=212&124=216&127=222&128=224&131=227&132=237&133=241&137=253&140=255&141=258&144=260&147=263&148=269&149=273&153=281&155=283&158=286&159=292&160=296&163=304&164=306&168=309&169=315&170=319&175=327&179=330&180=334&181=338&186=345&188=347&189=350&192=352&193=355&196=357&197=359&198=361&199=364&204=366&205=376&206=380&210=392&212=400&217=404&218=412&219=415&220=418&222=429&225=439&230=446&231=449&235=451&236=454&241=456&242=464&243=468&245=478&249=482&250=484&251=488&256=490&257=498&258=502&260=512&265=518&266=522&269=526&270=529&274=531&275=534&281=536&282=548&283=552&290=566&291=570&292=574&296=580&300=582&301=584&305=587&306=595&307=599&312=609&316=612&317=616&318=620&323=626&325=629&326=633&331=639&332=642&335=644&336=647&338=649&339=651&340=655&344=659&346=662&348=664&350=668&352=670&353=672&357=676'
