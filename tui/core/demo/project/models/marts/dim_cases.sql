with cases as (

    select * from {{ ref('stg_cases') }}

),

final_decisions as (

    select * from {{ ref('int_case_decisions_joined') }}
    where is_final_decision

),

final as (

    select
        cases.case_id,
        cases.case_reference,
        cases.case_type,
        cases.priority,
        cases.status,
        cases.region,
        cases.opened_at,
        cases.claimed_amount,
        final_decisions.outcome as final_outcome,
        final_decisions.decided_at as final_decided_at,
        final_decisions.days_to_decision as days_to_final_decision,
        coalesce(final_decisions.decisions_on_case, 0) as decision_count
    from cases
    left join final_decisions
        on cases.case_id = final_decisions.case_id

)

select * from final
