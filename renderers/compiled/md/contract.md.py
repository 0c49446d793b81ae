# sla-jinja/1 environment=0b5ff92ed8b0c3d8 source-sha1=1a63ebe0ae895e39cf080a96b605fc709a673ac0
# The template renderers/md/contract.md.j2 as Python, made by Jinja with
# `python -m sla.templates --regenerate`: do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'contract.md.j2'

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
    yield '# '
    yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'title')))
    yield '\n\n'
    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'document')))
    if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'id'):
        pass
        yield ' · '
        yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'agreement_id')))
        yield ' '
        yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'id')))
    if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'version'):
        pass
        yield ' · '
        yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'version')))
        yield ' '
        yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'version')))
    yield '\n\n'
    l_1_loop = missing
    for l_1_s, l_1_loop in LoopContext(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'sections'), undefined):
        l_1_price = resolve('price')
        _loop_vars = {}
        pass
        if (not environment.getattr(l_1_loop, 'first')):
            pass
            yield '\n'
        yield '## '
        yield str(environment.finalize(environment.getattr(l_1_s, 'number')))
        yield '. '
        yield str(environment.finalize(environment.getattr(l_1_s, 'title')))
        yield '\n\n'
        if (environment.getattr(l_1_s, 'key') == 'parties'):
            pass
            yield '|'
            for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                _loop_vars = {}
                pass
                yield ' | '
                yield str(environment.finalize(environment.getattr(l_2_p, 'role')))
            l_2_p = missing
            yield ' |\n|---|'
            for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                _loop_vars = {}
                pass
                yield '---|'
            l_2_p = missing
            yield '\n| '
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'name')))
            for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                _loop_vars = {}
                pass
                yield ' | **'
                yield str(environment.finalize(environment.getattr(l_2_p, 'name')))
                yield '**'
            l_2_p = missing
            yield ' |\n'
            for l_2_key in ('contact', 'address', 'email', 'phone', 'website'):
                _loop_vars = {}
                pass
                if t_1(context.eval_ctx, t_2(context, environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'), l_2_key)):
                    pass
                    yield '| '
                    yield str(environment.finalize(environment.getitem((undefined(name='labels') if l_0_labels is missing else l_0_labels), l_2_key)))
                    for l_3_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                        _loop_vars = {}
                        pass
                        yield ' | '
                        yield str(environment.finalize(environment.getitem(l_3_p, l_2_key)))
                    l_3_p = missing
                    yield ' |\n'
            l_2_key = missing
            yield '\n'
            for l_2_d in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'details'):
                _loop_vars = {}
                pass
                yield '- **'
                yield str(environment.finalize(environment.getattr(l_2_d, 'label')))
                yield ':** '
                yield str(environment.finalize(environment.getattr(l_2_d, 'value')))
                yield '\n'
            l_2_d = missing
        elif (environment.getattr(l_1_s, 'key') == 'term'):
            pass
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'term_text'):
                pass
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'term_text')))
                yield '\n\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'start'):
                pass
                yield '- **'
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'start')))
                yield ':** '
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'start')))
                yield '\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'end'):
                pass
                yield '- **'
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'end')))
                yield ':** '
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'end')))
                yield '\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'term'):
                pass
                yield '- **'
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'term')))
                yield ':** '
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'term')))
                yield '\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'renewal'):
                pass
                yield '- **'
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'renewal')))
                yield ':** '
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'renewal')))
                yield '\n'
        elif (environment.getattr(l_1_s, 'key') == 'services'):
            pass
            l_2_loop = missing
            for l_2_service, l_2_loop in LoopContext(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'services'), undefined):
                _loop_vars = {}
                pass
                if (not environment.getattr(l_2_loop, 'first')):
                    pass
                    yield '\n'
                yield '### '
                yield str(environment.finalize(environment.getattr(l_2_service, 'title')))
                yield '\n\n'
                if environment.getattr(l_2_service, 'quantity'):
                    pass
                    yield '- **'
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'quantity')))
                    yield ':** '
                    yield str(environment.finalize(environment.getattr(l_2_service, 'quantity')))
                    yield '\n'
                if environment.getattr(l_2_service, 'hours'):
                    pass
                    yield '- **'
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'hours')))
                    yield ' ('
                    yield str(environment.finalize(environment.getattr(l_2_service, 'calendar')))
                    yield '):** '
                    yield str(environment.finalize(environment.getattr(l_2_service, 'hours')))
                    yield '\n'
                if environment.getattr(l_2_service, 'availability'):
                    pass
                    yield '- **'
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'availability')))
                    yield ':** '
                    yield str(environment.finalize(environment.getattr(l_2_service, 'availability')))
                    yield '\n'
                if environment.getattr(l_2_service, 'includes'):
                    pass
                    yield '\n**'
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'includes')))
                    yield ':**\n\n'
                    for l_3_item in environment.getattr(l_2_service, 'includes'):
                        _loop_vars = {}
                        pass
                        yield '- '
                        yield str(environment.finalize(l_3_item))
                        yield '\n'
                    l_3_item = missing
                if environment.getattr(l_2_service, 'excludes'):
                    pass
                    yield '\n**'
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'excludes')))
                    yield ':**\n\n'
                    for l_3_item in environment.getattr(l_2_service, 'excludes'):
                        _loop_vars = {}
                        pass
                        yield '- '
                        yield str(environment.finalize(l_3_item))
                        yield '\n'
                    l_3_item = missing
            l_2_loop = l_2_service = missing
        elif (environment.getattr(l_1_s, 'key') == 'hours'):
            pass
            for l_2_cal in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'calendars'):
                _loop_vars = {}
                pass
                yield '- **'
                yield str(environment.finalize(environment.getattr(l_2_cal, 'name')))
                yield ':** '
                yield str(environment.finalize(environment.getattr(l_2_cal, 'summary')))
                yield '\n'
            l_2_cal = missing
        elif (environment.getattr(l_1_s, 'key') == 'priorities'):
            pass
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'priorities'):
                pass
                yield '| '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'priority')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'description')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'response')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'resolution')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'updates')))
                yield ' |\n|---|---|---|---|---|\n'
                for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'priorities'):
                    _loop_vars = {}
                    pass
                    yield '| **'
                    yield str(environment.finalize(environment.getattr(l_2_p, 'name')))
                    yield '** | '
                    yield str(environment.finalize(environment.getattr(l_2_p, 'title')))
                    yield ' | '
                    yield str(environment.finalize((environment.getattr(environment.getattr(l_2_p, 'response'), 'summary') if environment.getattr(l_2_p, 'response') else environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield ' | '
                    yield str(environment.finalize((environment.getattr(environment.getattr(l_2_p, 'resolution'), 'summary') if environment.getattr(l_2_p, 'resolution') else environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield ' | '
                    yield str(environment.finalize((environment.getattr(environment.getattr(l_2_p, 'updates'), 'summary') if environment.getattr(l_2_p, 'updates') else environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield ' |\n'
                l_2_p = missing
                yield '\n'
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'targets_note')))
                yield '\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'clock'):
                pass
                yield '\n'
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'clock')))
                yield '\n'
        elif (environment.getattr(l_1_s, 'key') == 'availability'):
            pass
            yield '| '
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'service')))
            yield ' | '
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'target')))
            yield ' | '
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'measured')))
            yield ' |\n|---|---|---|\n'
            for l_2_a in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'availability'):
                _loop_vars = {}
                pass
                yield '| '
                yield str(environment.finalize(environment.getattr(l_2_a, 'service')))
                yield ' | '
                yield str(environment.finalize(environment.getattr(l_2_a, 'target')))
                yield ' | '
                yield str(environment.finalize(environment.getattr(l_2_a, 'measured')))
                yield ' |\n'
            l_2_a = missing
            yield '\n'
            yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'availability_note')))
            yield '\n'
        elif (environment.getattr(l_1_s, 'key') == 'maintenance'):
            pass
            yield '| '
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'window')))
            yield ' | '
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'calendar')))
            yield ' | '
            yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'notice')))
            yield ' |\n|---|---|---|\n'
            for l_2_w in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'maintenance'):
                _loop_vars = {}
                pass
                yield '| '
                yield str(environment.finalize(environment.getattr(l_2_w, 'window')))
                yield ' | '
                yield str(environment.finalize((environment.getattr(l_2_w, 'calendar') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                yield ' | '
                yield str(environment.finalize((environment.getattr(l_2_w, 'notice') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                yield ' |\n'
            l_2_w = missing
        elif (environment.getattr(l_1_s, 'key') == 'credits'):
            pass
            if environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'tiers'):
                pass
                yield '| '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'below')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'credit')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'applies_to')))
                yield ' |\n|---|---|---|\n'
                for l_2_t in environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'tiers'):
                    _loop_vars = {}
                    pass
                    yield '| '
                    yield str(environment.finalize(environment.getattr(l_2_t, 'below')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_t, 'credit')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_t, 'applies_to')))
                    yield ' |\n'
                l_2_t = missing
                yield '\n'
            if environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'breaches'):
                pass
                yield '| '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'missed_target')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'credit')))
                yield ' |\n|---|---|\n'
                for l_2_b in environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'breaches'):
                    _loop_vars = {}
                    pass
                    yield '| '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'target')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'credit')))
                    yield ' |\n'
                l_2_b = missing
                yield '\n'
            yield str(environment.finalize(environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'rule')))
            yield '\n'
            if environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'cap'):
                pass
                yield '\n'
                yield str(environment.finalize(environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'cap')))
                yield '\n'
            if environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'claim'):
                pass
                yield '\n'
                yield str(environment.finalize(environment.getattr(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'credits'), 'claim')))
                yield '\n'
        elif (environment.getattr(l_1_s, 'key') == 'fees'):
            pass
            l_1_price = environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'price')
            _loop_vars['price'] = l_1_price
            if ((undefined(name='price') if l_1_price is missing else l_1_price) and environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'recurring')):
                pass
                yield '### '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'recurring_fees')))
                yield '\n\n| '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'service')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'quantity')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'unit_price')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'billed')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'per_invoice')))
                yield ' |\n|---|--:|---|---|--:|\n'
                for l_2_fee in environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'recurring'):
                    _loop_vars = {}
                    pass
                    yield '| '
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'service')))
                    yield ' | '
                    yield str(environment.finalize((environment.getattr(l_2_fee, 'quantity') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'unit_price')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'frequency')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'per_invoice')))
                    yield ' |\n'
                l_2_fee = missing
                yield '\n'
                def t_3(fiter):
                    for l_2_fee in fiter:
                        if environment.getattr(l_2_fee, 'tiers'):
                            yield l_2_fee
                for l_2_fee in t_3(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'recurring')):
                    _loop_vars = {}
                    pass
                    yield '**'
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'tiers_title')))
                    yield '.** '
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'tiers_rule')))
                    yield '\n\n| '
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'band_header')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'price_header')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'units_priced')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'amount')))
                    yield ' |\n|---|--:|--:|--:|\n'
                    for l_3_band in environment.getattr(l_2_fee, 'bands'):
                        _loop_vars = {}
                        pass
                        if ((environment.getattr(l_2_fee, 'tiers') == 'volume') and environment.getattr(l_3_band, 'applies')):
                            pass
                            yield '| **'
                            yield str(environment.finalize(environment.getattr(l_3_band, 'units')))
                            yield '** | **'
                            yield str(environment.finalize(environment.getattr(l_3_band, 'price')))
                            yield '** | **'
                            yield str(environment.finalize(environment.getattr(l_3_band, 'count')))
                            yield '** | **'
                            yield str(environment.finalize(environment.getattr(l_3_band, 'amount')))
                            yield '** |\n'
                        else:
                            pass
                            yield '| '
                            yield str(environment.finalize(environment.getattr(l_3_band, 'units')))
                            yield ' | '
                            yield str(environment.finalize(environment.getattr(l_3_band, 'price')))
                            yield ' | '
                            yield str(environment.finalize((environment.getattr(l_3_band, 'count') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                            yield ' | '
                            yield str(environment.finalize((environment.getattr(l_3_band, 'amount') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                            yield ' |\n'
                    l_3_band = missing
                    yield '| **'
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'per_invoice')))
                    yield '** | | **'
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'total_count')))
                    yield '** | **'
                    yield str(environment.finalize(environment.getattr(l_2_fee, 'per_invoice')))
                    yield '** |\n\n'
                l_2_fee = missing
                if environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'increase'):
                    pass
                    yield str(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'increase')))
                    yield '\n\n'
            if ((undefined(name='price') if l_1_price is missing else l_1_price) and environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'one_time')):
                pass
                yield '### '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'one_time_fees')))
                yield '\n\n| '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'item')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'invoices')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'per_invoice')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'amount')))
                yield ' |\n|---|--:|--:|--:|\n'
                for l_2_line in environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'one_time'):
                    _loop_vars = {}
                    pass
                    yield '| '
                    yield str(environment.finalize(environment.getattr(l_2_line, 'description')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_line, 'quantity')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_line, 'unit_price')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_line, 'amount')))
                    yield ' |\n'
                l_2_line = missing
                yield '| **'
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'one_time_total')))
                yield '** | | | **'
                yield str(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'one_time_total')))
                yield '** |\n\n'
            if (undefined(name='price') if l_1_price is missing else l_1_price):
                pass
                for l_2_year in environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'years'):
                    _loop_vars = {}
                    pass
                    yield '### '
                    yield str(environment.finalize(environment.getattr(l_2_year, 'title')))
                    yield '\n\n| '
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'item')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'invoices')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'per_invoice')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'amount')))
                    yield ' |\n|---|--:|--:|--:|\n'
                    for l_3_line in environment.getattr(l_2_year, 'lines'):
                        _loop_vars = {}
                        pass
                        yield '| '
                        yield str(environment.finalize(environment.getattr(l_3_line, 'description')))
                        yield ' | '
                        yield str(environment.finalize(environment.getattr(l_3_line, 'quantity')))
                        yield ' | '
                        yield str(environment.finalize(environment.getattr(l_3_line, 'unit_price')))
                        yield ' | '
                        yield str(environment.finalize(environment.getattr(l_3_line, 'amount')))
                        yield ' |\n'
                    l_3_line = missing
                    yield '| **'
                    yield str(environment.finalize(environment.getattr(l_2_year, 'total_label')))
                    yield '** | | | **'
                    yield str(environment.finalize(environment.getattr(l_2_year, 'total')))
                    yield '** |\n\n'
                l_2_year = missing
                yield '- **'
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'first_month')))
                yield ':** '
                yield str(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'first_month')))
                yield '\n- **'
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'term_total')))
                yield ':** '
                yield str(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'term_total')))
                yield '\n'
                if (environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'increase') and (not environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'recurring'))):
                    pass
                    yield '\n'
                    yield str(environment.finalize(environment.getattr((undefined(name='price') if l_1_price is missing else l_1_price), 'increase')))
                    yield '\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'blocks'):
                pass
                yield '\n### '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'prepaid_hours')))
                yield '\n\n| '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'block')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'price')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'billed')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'drawn_by')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'unused_hours')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'beyond_block')))
                yield ' |\n|---|--:|---|---|---|---|\n'
                for l_2_b in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'blocks'):
                    _loop_vars = {}
                    pass
                    yield '| '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'hours')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'price')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'frequency')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'drawn_by')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'unused')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_b, 'beyond')))
                    yield ' |\n'
                l_2_b = missing
                yield '\n| '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'multiplier')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'hours_drawn')))
                yield ' |\n|---|--:|\n'
                for l_2_d in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'block_draws'):
                    _loop_vars = {}
                    pass
                    yield '| '
                    yield str(environment.finalize(environment.getattr(l_2_d, 'when')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_d, 'hours')))
                    yield ' |\n'
                l_2_d = missing
                yield '\n'
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'blocks_note')))
                yield '\n'
        elif (environment.getattr(l_1_s, 'key') == 'rates'):
            pass
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'rates'):
                pass
                yield '| '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'role')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'rate')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'increment')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'minimum')))
                yield ' |\n|---|--:|---|---|\n'
                for l_2_r in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'rates'):
                    _loop_vars = {}
                    pass
                    yield '| '
                    yield str(environment.finalize(environment.getattr(l_2_r, 'role')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_r, 'rate')))
                    yield ' | '
                    yield str(environment.finalize((environment.getattr(l_2_r, 'increment') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield ' | '
                    yield str(environment.finalize((environment.getattr(l_2_r, 'minimum') or environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'none'))))
                    yield ' |\n'
                l_2_r = missing
                yield '\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'multipliers'):
                pass
                yield '| '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'multiplier')))
                yield ' | '
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'factor')))
                yield ' |\n|---|--:|\n'
                for l_2_x in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'multipliers'):
                    _loop_vars = {}
                    pass
                    yield '| '
                    yield str(environment.finalize(environment.getattr(l_2_x, 'when')))
                    yield ' | '
                    yield str(environment.finalize(environment.getattr(l_2_x, 'factor')))
                    yield ' |\n'
                l_2_x = missing
                yield '\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'charges'):
                pass
                yield '**'
                yield str(environment.finalize(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'charges')))
                yield ':**\n\n'
                for l_2_c in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'charges'):
                    _loop_vars = {}
                    pass
                    yield '- **'
                    yield str(environment.finalize(environment.getattr(l_2_c, 'label')))
                    yield ':** '
                    yield str(environment.finalize(environment.getattr(l_2_c, 'value')))
                    yield '\n'
                l_2_c = missing
                yield '\n'
            if environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'rates_note'):
                pass
                yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'rates_note')))
                yield '\n'
        elif (environment.getattr(l_1_s, 'key') == 'payment'):
            pass
            yield str(environment.finalize(environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'payment')))
            yield '\n'
        elif (environment.getattr(l_1_s, 'key') == 'clause'):
            pass
            l_2_loop = missing
            for l_2_paragraph, l_2_loop in LoopContext(environment.getattr(l_1_s, 'paragraphs'), undefined):
                _loop_vars = {}
                pass
                if (not environment.getattr(l_2_loop, 'first')):
                    pass
                    yield '\n'
                yield str(environment.finalize(l_2_paragraph))
                yield '\n'
            l_2_loop = l_2_paragraph = missing
        elif (environment.getattr(l_1_s, 'key') == 'signatures'):
            pass
            yield '|'
            for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                _loop_vars = {}
                pass
                yield ' | '
                yield str(environment.finalize(environment.getattr(l_2_p, 'signs_as')))
            l_2_p = missing
            yield ' |\n|---|'
            for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                _loop_vars = {}
                pass
                yield '---|'
            l_2_p = missing
            yield '\n|'
            for l_2_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                _loop_vars = {}
                pass
                yield ' | **'
                yield str(environment.finalize(environment.getattr(l_2_p, 'name')))
                yield '**'
            l_2_p = missing
            yield ' |\n'
            for l_2_label in (environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'signature'), environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'name'), environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'position'), environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'place_date')):
                _loop_vars = {}
                pass
                yield '| '
                yield str(environment.finalize(l_2_label))
                for l_3_p in environment.getattr((undefined(name='contract') if l_0_contract is missing else l_0_contract), 'parties'):
                    _loop_vars = {}
                    pass
                    yield ' | '
                l_3_p = missing
                yield ' |\n'
            l_2_label = missing
    l_1_loop = l_1_s = l_1_price = missing

blocks = {}
debug_info = '4=26&6=28&7=29&8=35&11=43&12=47&15=51&17=55&18=58&19=65&21=71&22=80&23=83&24=86&28=96&29=100&31=105&32=107&33=109&36=111&37=114&39=118&40=121&42=125&43=128&45=132&46=135&48=139&49=142&50=145&53=149&55=151&56=154&58=158&59=161&61=167&62=170&64=174&66=177&68=179&69=183&72=186&74=189&76=191&77=195&81=199&82=201&83=205&85=210&86=212&87=215&89=225&90=229&93=241&95=243&97=246&99=248&100=251&102=257&103=261&106=269&107=271&108=274&110=280&111=284&113=291&114=293&115=296&117=302&118=306&122=314&123=317&125=321&126=325&130=331&131=333&133=336&135=338&137=341&139=343&140=345&141=347&142=350&144=352&146=362&147=366&150=378&151=386&153=390&155=398&156=401&157=404&159=415&162=425&165=432&166=434&170=436&171=439&173=441&175=449&176=453&178=463&181=467&182=469&183=473&185=475&187=483&188=487&190=497&193=503&194=507&195=511&197=514&200=516&202=519&204=521&206=533&207=537&210=551&212=555&213=559&216=565&218=567&219=569&220=572&222=580&223=584&227=594&228=597&230=601&231=605&235=611&236=614&238=616&239=620&243=626&244=628&246=630&247=632&248=634&249=637&250=640&253=643&255=646&256=649&257=656&259=662&260=670&261=674'
