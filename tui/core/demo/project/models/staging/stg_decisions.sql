with source as (

    select * from {{ source('raw', 'decisions') }}

),

renamed as (

    select
        cast(decision_id as integer) as decision_id,
        cast(case_id as integer) as case_id,
        cast(reviewer_id as integer) as reviewer_id,
        lower(trim(outcome)) as outcome,
        cast(decided_at as timestamp) as decided_at
    from source
    where decision_id is not null

)

select * from renamed
