with decisions as (

    select * from {{ ref('stg_decisions') }}

),

cases as (

    select * from {{ ref('stg_cases') }}

),

reviewers as (

    select * from {{ ref('stg_reviewers') }}

),

joined as (

    select
        decisions.decision_id,
        decisions.case_id,
        decisions.reviewer_id,
        decisions.outcome,
        decisions.decided_at,
        cases.case_type,
        cases.priority,
        cases.region,
        cases.opened_at,
        cases.claimed_amount,
        reviewers.team as reviewer_team,
        {{ dbt.datediff('cases.opened_at', 'decisions.decided_at', 'day') }} as days_to_decision,
        row_number() over (
            partition by decisions.case_id
            order by decisions.decided_at, decisions.decision_id
        ) as decision_sequence,
        count(*) over (partition by decisions.case_id) as decisions_on_case
    from decisions
    inner join cases
        on decisions.case_id = cases.case_id
    left join reviewers
        on decisions.reviewer_id = reviewers.reviewer_id

)

select
    *,
    decision_sequence > 1 as is_appeal,
    decision_sequence = decisions_on_case as is_final_decision
from joined
