"""English families of unseen agreements (continued from test_unseen_families.py): small agreements
written for each family, checked with the rules alone."""

from __future__ import annotations

from accord.intake import Commitment, extract

_EN_PARTIES = (
    'This Agreement is made between Northwind Labs Inc. ("Northwind") and Harbor College ("Harbor").\n'
)


def rules(text: str) -> list[Commitment]:
    return extract(text, mode="rules").commitments


def test_english_roman_items_right_under_a_numbered_clause_nest_in_it() -> None:
    # "(i)" opening a list is the first roman numeral, not the ninth letter: the items nest under "1."
    # and take the party of its heading.
    text = _EN_PARTIES + (
        "1. Obligations of Harbor\n"
        "(i) Design the mobile application in accordance with the specifications.\n"
        "(ii) Deliver the source code upon completion of the project.\n"
        "2. Obligations of Northwind\n"
        "(a) Provide all graphics and content.\n"
    )
    result = extract(text, mode="rules")
    assert [(c.number, c.level) for c in result.clauses] == [
        ("1.", 1),
        ("(i)", 2),
        ("(ii)", 2),
        ("2.", 1),
        ("(a)", 2),
    ]
    assert [c.party for c in result.commitments] == ["Harbor", "Harbor", "Northwind"]


def test_english_an_aside_with_a_bracketed_figure_after_the_modal() -> None:
    text = _EN_PARTIES + (
        "1. Transition.\nHarbor will, within thirty (30) days after the Effective Date, deliver a transition plan.\n"
    )
    (commitment,) = rules(text)
    assert commitment.quote.endswith("deliver a transition plan.")
    assert commitment.due == "within thirty (30) days after the Effective Date"


def test_english_may_in_a_clause_that_qualifies_the_undertaking_is_no_right() -> None:
    text = _EN_PARTIES + (
        "1. Duties of Harbor\n"
        "(a) Provide such other services as Northwind may reasonably request.\n"
        "(b) Harbor may publish the results.\n"
        "(c) Harbor shall deliver any samples that Northwind may require.\n"
    )
    assert [(c.party, c.quote.split()[0]) for c in rules(text)] == [
        ("Harbor", "Provide"),
        ("Harbor", "Harbor"),
    ]


def test_english_a_party_or_one_party_as_subject_is_either() -> None:
    text = (
        _EN_PARTIES
        + "1. Breaches\nA Party that becomes aware of a breach shall notify the other Party promptly.\n"
    )
    (commitment,) = rules(text)
    assert commitment.party == "either" and commitment.due == "promptly"


def test_english_dues_end_where_the_period_ends() -> None:
    text = _EN_PARTIES + (
        "1. Records.\n"
        "1.1 Harbor will make its records available during regular business hours at the offices of Harbor.\n"
        "1.2 Northwind agrees to notify Harbor during the Option Term with a proposed budget.\n"
        "1.3 Prior to filing any application with respect to the Invention, Harbor shall consult Northwind.\n"
        "1.4 Harbor shall notify Northwind sufficiently prior to making any disclosure.\n"
        "1.5 Northwind shall keep the data confidential while this Agreement is in force and for a period of "
        "three (3) years thereafter.\n"
        "1.6 Harbor shall, as soon as practicable but in any event within two (2) business days of such event, "
        "notify Northwind.\n"
    )
    assert [c.due for c in rules(text)] == [
        "during regular business hours",
        "during the Option Term",
        "Prior to filing any application",
        "sufficiently prior to making any disclosure",
        "while this Agreement is in force and for a period of three (3) years thereafter",
        "as soon as practicable but in any event within two (2) business days of such event",
    ]


def test_english_money_a_party_receives_is_paid_by_the_other() -> None:
    text = _EN_PARTIES + (
        "1. Revenue.\n"
        "1.1 Harbor will receive a revenue share of 20% of net sales.\n"
        "1.2 Northwind would receive one third of the monthly subscription price.\n"
        "1.3 Northwind shall receive copies of all reports.\n"
        "1.4 Northwind shall be entitled to a refund of any unused deposit.\n"
    )
    assert [(c.party, c.quote.split()[0]) for c in rules(text)] == [
        ("Northwind", "Harbor"),
        ("Harbor", "Northwind"),
    ]


def test_english_beliefs_and_claims_given_up_are_no_undertakings() -> None:
    text = _EN_PARTIES + (
        "1. General.\n"
        "1.1 Harbor believes that the joint programme will deliver savings to both parties.\n"
        "1.2 Northwind shall not have any claim against Harbor if a grant is not awarded.\n"
        "1.3 Neither party shall have any liability for lost profits.\n"
        "1.4 Harbor expects that the laboratory will open in May.\n"
        "1.5 Northwind shall pay Harbor the grant share.\n"
    )
    assert [c.party for c in rules(text)] == ["Northwind"]


def test_english_enumerated_verbs_after_a_modal_and_its_colon() -> None:
    text = _EN_PARTIES + (
        "4. Covenants. Harbor shall: (a) pay all fees when due; (b) keep accurate books of account; and (c) "
        "permit Northwind to audit such books once per year. Northwind shall (i) maintain the licensed patents "
        "and (ii) notify Harbor of any challenge to them.\n"
    )
    found = [
        (c.party, c.quote.split(":")[-1].split(")")[-1].split()[0], c.due, c.recurrence) for c in rules(text)
    ]
    assert found == [
        ("Harbor", "pay", "when due", None),
        ("Harbor", "keep", None, None),
        ("Harbor", "permit", None, "annual"),
        ("Northwind", "maintain", None, None),
        ("Northwind", "notify", None, None),
    ]


def test_english_recurrences_written_once_per_period() -> None:
    text = _EN_PARTIES + (
        "1. Meetings.\n"
        "1.1 The parties shall meet once a year.\n"
        "1.2 Harbor shall report twice per year.\n"
        "1.3 Northwind shall review the plan each calendar quarter.\n"
        "1.4 Harbor shall invoice Northwind each calendar month.\n"
    )
    assert [c.recurrence for c in rules(text)] == ["annual", "semiannual", "quarterly", "monthly"]


def test_english_run_in_obligations_title_and_further_acts_after_a_modal() -> None:
    text = _EN_PARTIES + (
        "3. Responsibilities.\n"
        "3.2 Obligations of Harbor: (a) conduct the study in accordance with the protocol; (b) deliver the data "
        "to Northwind within ninety (90) days after completion of the study.\n"
        "3.3 Each party agrees to designate a project leader and to meet at least quarterly to review the study.\n"
        "3.4 Harbor shall be responsible for recruiting patients and for obtaining informed consent.\n"
    )
    found = [(c.party, c.quote.split()[0]) for c in rules(text)]
    assert found == [
        ("Harbor", "conduct"),
        ("Harbor", "deliver"),
        ("both", "Each"),
        ("both", "to"),
        ("Harbor", "Harbor"),
        ("Harbor", "for"),
    ]


def test_english_obligations_as_translated_agreements_write_them() -> None:
    text = _EN_PARTIES + (
        "1. Cooperation.\n"
        "1.1 Harbor is obliged to supply the compound free of charge.\n"
        "1.2 Northwind has the obligation to keep the samples frozen.\n"
        "1.3 Harbor has to pay the fee within thirty (30) days after receipt of the invoice.\n"
        "1.4 Northwind is bound to observe the safety rules of Harbor.\n"
        "1.5 Northwind needs to inform Harbor of any adverse event immediately.\n"
        "1.6 A withdrawing member's share will reflect the debts the member may have to the venture.\n"
    )
    assert [c.party for c in rules(text)] == ["Harbor", "Northwind", "Harbor", "Northwind", "Northwind"]
