with decisions as (

    select * from {{ ref('int_case_decisions_joined') }}

),

final as (

    select
        decision_id,
        case_id,
        reviewer_id,
        reviewer_team,
        outcome,
        decided_at,
        cast(decided_at as date) as decision_date,
        case_type,
        priority,
        region,
        claimed_amount,
        days_to_decision,
        decision_sequence,
        is_appeal,
        is_final_decision
    from decisions

)

select * from final
