with source as (

    select * from {{ source('raw', 'reviewers') }}

),

renamed as (

    select
        cast(reviewer_id as integer) as reviewer_id,
        trim(full_name) as full_name,
        lower(trim(email)) as email,
        lower(trim(team)) as team,
        lower(trim(seniority)) as seniority,
        cast(hired_on as date) as hired_on,
        upper(trim(active_flag)) = 'Y' as is_active
    from source
    where reviewer_id is not null

)

select * from renamed
