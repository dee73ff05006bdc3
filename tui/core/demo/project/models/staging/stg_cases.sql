with source as (

    select * from {{ source('raw', 'cases') }}

),

renamed as (

    select
        cast(case_id as integer) as case_id,
        trim(case_ref) as case_reference,
        lower(trim(case_type)) as case_type,
        lower(trim(priority)) as priority,
        lower(trim(status)) as status,
        lower(trim(region)) as region,
        cast(opened_at as timestamp) as opened_at,
        cast(nullif(trim(claimed_amount), '') as decimal(12, 2)) as claimed_amount
    from source
    where case_id is not null

)

select * from renamed
