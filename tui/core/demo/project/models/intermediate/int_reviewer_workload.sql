with decisions as (

    select * from {{ ref('int_case_decisions_joined') }}

),

workload as (

    select
        reviewer_id,
        count(*) as decisions_made,
        count(distinct case_id) as cases_decided,
        count(*) filter (where outcome = 'approved') as approvals,
        count(*) filter (where is_appeal) as appeals_decided,
        percentile_cont(0.5) within group (order by days_to_decision) as median_days_to_decision,
        min(decided_at) as first_decision_at,
        max(decided_at) as last_decision_at
    from decisions
    group by reviewer_id

)

select
    *,
    round(cast(approvals as numeric) / decisions_made, 3) as approval_rate
from workload
