-- DSA transparency report: the items of the harmonised templates
-- (Implementing Regulation (EU) 2024/2835) that a platform's raw T&S logs
-- cannot fill, one row each, with why. The dsa_report_* tables carry the
-- same notes beside the columns concerned.
with

items as (
    select
        template_items.template_section,
        template_items.template_item,
        template_items.reason
    from (
        values
        (
            'orders', 'Orders to act against illegal content (Art. 9) by Member State and category',
            'The logs hold no orders: reports from authorities are notices, and no Member State is recorded.'
        ),
        (
            'orders', 'Orders to provide information (Art. 10)',
            'Information orders are not part of the raw contract.'
        ),
        (
            'orders', 'Median time to confirm receipt of an order and to give it effect',
            'No order receipt or effect times exist in the logs.'
        ),
        (
            'notices', 'Notices and actions by Member State',
            'Reports carry no country of the notifier or of the content.'
        ),
        (
            'notices', 'Actions taken on the basis of law versus terms and conditions',
            'Decisions carry a policy category, not the legal or contractual ground relied on.'
        ),
        (
            'own_initiative', 'Measures against illegal content versus terms-and-conditions violations',
            'Decisions carry a policy category, not the legal or contractual ground relied on.'
        ),
        (
            'own_initiative', 'Monetary restrictions and suspension or termination of the service',
            'The contract actions (remove, restrict, label, warn, suspend, ban) have no such codes.'
        ),
        (
            'complaints', 'Out-of-court dispute settlements (Art. 21): disputes, outcomes, median time',
            'Disputes handled by certified bodies outside the platform are not in the logs.'
        ),
        (
            'suspensions', 'Suspensions for manifestly unfounded notices or complaints (Art. 23(2))',
            'The logs do not record suspensions of notifiers or complainants.'
        ),
        (
            'automated_means', 'Recall of automated means',
            'Missed violations are not observed; precision and accuracy are in '
            || 'fct_detection_precision_weekly and fct_enforcement_accuracy_weekly.'
        ),
        (
            'recipients', 'Average monthly active recipients per Member State',
            'active_users_daily has no country.'
        )
    ) as template_items (template_section, template_item, reason)
),

final as (
    select
        template_section,
        template_item,
        reason
    from items
)

select * from final
