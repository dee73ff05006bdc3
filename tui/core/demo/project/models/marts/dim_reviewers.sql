with reviewers as (

    select * from {{ ref('stg_reviewers') }}

),

workload as (

    select * from {{ ref('int_reviewer_workload') }}

),

final as (

    select
        reviewers.reviewer_id,
        reviewers.full_name,
        reviewers.email,
        reviewers.team,
        reviewers.seniority,
        reviewers.hired_on,
        reviewers.is_active,
        coalesce(workload.decisions_made, 0) as decisions_made,
        coalesce(workload.cases_decided, 0) as cases_decided,
        coalesce(workload.appeals_decided, 0) as appeals_decided,
        workload.approval_rate,
        workload.median_days_to_decision,
        workload.last_decision_at
    from reviewers
    left join workload
        on reviewers.reviewer_id = workload.reviewer_id

)

select * from final
